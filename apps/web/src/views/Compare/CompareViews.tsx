import { useMemo } from 'react'
import type { ProfileDiff, ProfileDocument } from '@profhub/profile'
import { updateView } from '../../navigation.ts'
import { selectCompareRows, selectProfileIndex, selectTreeDiff } from '../../selectors.ts'
import { useAppStore } from '../../store.ts'
import { useCallTree } from '../../tree/tree-loader.ts'
import { COMPARE_TABS, type CompareViewState } from '../../url-state.ts'
import { CompareButterfly } from '../Butterfly/CompareButterfly.tsx'
import { CompareCallersPanel } from '../CallersPanel/CompareCallersPanel.tsx'
import { WithPanel } from '../CallersPanel/WithPanel.tsx'
import { PanelMessage, ProfileViews } from '../common/ProfileViews.tsx'
import { useProfileFocus } from '../common/use-profile-focus.ts'
import { Icicle } from '../Icicle/Icicle.tsx'
import { Sunburst } from '../Sunburst/Sunburst.tsx'
import { CompareTable } from './CompareTable.tsx'
import { computeDiffColoring } from './diff-coloring.tsx'

/**
 * The compare view's tabs (`COMPARE_TABS` in url-state.ts): the table of changes by function,
 * the AFTER run's sunburst and icicle coloured by change, and its butterfly. Beside the table
 * and charts, the selected function's callers and callees with both runs' numbers. Search, the
 * breadcrumb, Depth and Cutoff, focus and selection work as on a run page, on the after run's
 * call tree; a function only in the before run is selected in the table and panel alone.
 */
export function CompareViews({
  before,
  after,
  diff,
  view,
}: {
  before: ProfileDocument
  after: ProfileDocument
  diff: ProfileDiff
  view: CompareViewState
}) {
  // First: the trees' builds start in workers while this thread goes on.
  const beforeTree = useCallTree(before)
  const afterTree = useCallTree(after)
  const index = selectProfileIndex(after)
  const tree = afterTree.status === 'ready' ? afterTree.tree : null
  // The trees' diff and colours are for the charts: the table and the butterfly do without
  // (at 100k functions, work the page would otherwise do on every Swap).
  const charted = view.tab === 'sunburst' || view.tab === 'icicle'
  const trees =
    charted && tree && beforeTree.status === 'ready'
      ? selectTreeDiff(diff, beforeTree.tree, tree)
      : null
  const coloring = useMemo(
    () => (trees ? computeDiffColoring(after, diff, trees) : null),
    [after, diff, trees],
  )
  const rows = selectCompareRows(diff)
  const { focus, selectedIndex, focusNode, select, crumbs } = useProfileFocus({
    profile: after,
    index,
    tree,
    view,
    unreachedLabel: (key) => {
      const row = rows.find((r) => r.key === key)
      return row ? `${row.label} (only in the first run)` : null
    },
  })

  // The compare page shows both runs once loaded; the after run's labels name its series.
  const afterRun = useAppStore((s) => s.runs[view.compare])
  const labels = afterRun?.status === 'ready' ? afterRun.data.labels : undefined
  const panel = (
    <CompareCallersPanel
      before={before}
      after={after}
      diff={diff}
      view={view}
      onSelect={select}
      labels={labels}
    />
  )
  const onDepth = (depth: number) => updateView({ depth }, 'replace')
  const onCutoff = (cutoff: number) => updateView({ cutoff }, 'replace')
  const chartProps = focus &&
    tree &&
    coloring && {
      profile: after,
      index,
      tree,
      focus,
      view,
      selectedIndex,
      onFocusNode: focusNode,
      onSelect: select,
      onDepth,
      onCutoff,
      coloring,
      panel,
    }
  const treeError =
    beforeTree.status === 'error' ? beforeTree : afterTree.status === 'error' ? afterTree : null

  return (
    <ProfileViews tabs={COMPARE_TABS} active={view.tab} search={view.search} crumbs={crumbs}>
      {view.tab === 'table' && (
        <WithPanel panel={panel}>
          <CompareTable
            rows={rows}
            matching={diff.matching}
            sort={view.compareSort}
            search={view.search}
            selected={view.selected}
            onSort={(compareSort) => updateView({ compareSort }, 'push')}
            onSelect={select}
          />
        </WithPanel>
      )}
      {view.tab === 'butterfly' && (
        <CompareButterfly
          before={before}
          after={after}
          diff={diff}
          view={view}
          onSelect={select}
          onDepth={onDepth}
          onCutoff={onCutoff}
        />
      )}
      {charted && !treeError && !chartProps && (
        <PanelMessage role="status">Building the call trees…</PanelMessage>
      )}
      {charted && treeError && (
        <PanelMessage role="alert">Could not build the call tree: {treeError.message}</PanelMessage>
      )}
      {view.tab === 'sunburst' && chartProps && <Sunburst {...chartProps} />}
      {view.tab === 'icicle' && chartProps && <Icicle {...chartProps} />}
    </ProfileViews>
  )
}
