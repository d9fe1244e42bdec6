import { useMemo } from 'react'
import type { ProfileDiff, ProfileDocument } from '@profhub/profile'
import type { HistoryMode } from '../../navigation.ts'
import { selectCompareRows, selectProfileIndex } from '../../selectors.ts'
import { useInvertedTree } from '../../tree/tree-loader.ts'
import type { ViewState } from '../../url-state.ts'
import { findCompareSubject } from '../CallersPanel/edge-rows.ts'
import { Butterfly } from './Butterfly.tsx'
import styles from './Butterfly.module.css'

/**
 * The compare page's Butterfly tab: the selected function's callers and callees with both runs'
 * numbers, beside the second (after) run's bottom-up chart.
 */
export function CompareButterfly({
  before,
  after,
  diff,
  view,
  onSelect,
  onDepth,
  onCutoff,
}: {
  before: ProfileDocument
  after: ProfileDocument
  diff: ProfileDiff
  view: ViewState
  onSelect: (key: string | null, mode: HistoryMode) => void
  onDepth: (depth: number) => void
  onCutoff: (cutoff: number) => void
}) {
  const inverted = useInvertedTree(after)
  const index = selectProfileIndex(after)
  const selectedIndex = view.selected === null ? null : (index.byKey.get(view.selected) ?? null)
  const compare = useMemo(
    () => findCompareSubject(before, after, diff, selectCompareRows(diff), view.selected),
    [before, after, diff, view.selected],
  )
  if (inverted.status === 'building') {
    return (
      <p role="status" className={styles.hint}>
        Building the call tree…
      </p>
    )
  }
  if (inverted.status === 'error') {
    return (
      <p role="alert" className={styles.hint}>
        Could not build the call tree: {inverted.message}
      </p>
    )
  }
  return (
    <Butterfly
      profile={after}
      index={index}
      inverted={inverted.tree}
      view={view}
      selectedIndex={selectedIndex}
      onSelect={onSelect}
      onDepth={onDepth}
      onCutoff={onCutoff}
      compare={compare}
    />
  )
}
