import { useMemo } from 'react'
import type { ProfileDiff, ProfileDocument } from '@profhub/profile'
import type { HistoryMode } from '../../navigation.ts'
import { selectCompareRows, selectProfileIndex } from '../../selectors.ts'
import type { ViewState } from '../../url-state.ts'
import { CallersPanel } from './CallersPanel.tsx'
import { findCompareSubject } from './edge-rows.ts'

/**
 * The compare page's callers/callees panel for the selected function (of either run): each
 * edge's numbers in both runs and the change. Nothing when no function is selected.
 */
export function CompareCallersPanel({
  before,
  after,
  diff,
  view,
  onSelect,
  labels,
}: {
  before: ProfileDocument
  after: ProfileDocument
  diff: ProfileDiff
  view: Pick<ViewState, 'selected' | 'search'>
  onSelect: (key: string | null, mode: HistoryMode) => void
  /** The second run's labels, for the History link (the series the change is looked at in). */
  labels?: Record<string, string>
}) {
  const compare = useMemo(
    () => findCompareSubject(before, after, diff, selectCompareRows(diff), view.selected),
    [before, after, diff, view.selected],
  )
  if (!compare) return null
  return (
    <CallersPanel
      profile={after}
      index={selectProfileIndex(after)}
      selected={compare.row.afterIndex}
      search={view.search}
      onSelect={onSelect}
      compare={compare}
      labels={labels}
    />
  )
}
