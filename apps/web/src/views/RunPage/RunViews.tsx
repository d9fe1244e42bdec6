import { useEffect } from 'react'
import type { Run } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import { updateView } from '../../navigation.ts'
import {
  selectLazyProfileIndex,
  selectProfileIndex,
  selectSearchText,
  selectSortedOrder,
} from '../../selectors.ts'
import { useCallTree, useInvertedTree } from '../../tree/tree-loader.ts'
import { TABS, type ViewState } from '../../url-state.ts'
import { Butterfly } from '../Butterfly/Butterfly.tsx'
import { CallersPanel } from '../CallersPanel/CallersPanel.tsx'
import { WithPanel } from '../CallersPanel/WithPanel.tsx'
import { PanelMessage, ProfileViews } from '../common/ProfileViews.tsx'
import { useProfileFocus } from '../common/use-profile-focus.ts'
import { Icicle } from '../Icicle/Icicle.tsx'
import { MemoryView } from '../Memory/MemoryView.tsx'
import { SourceSection } from '../Source/SourceSection.tsx'
import { StatsTable } from '../StatsTable/StatsTable.tsx'
import { Sunburst } from '../Sunburst/Sunburst.tsx'

/**
 * The views of one profile (its tabs: `TABS` in url-state.ts): the sunburst, the icicle, the
 * pstats table with the callers panel, the butterfly, memory. Selection and focus: see
 * useProfileFocus. The selected function's panel ends with its source.
 */
export function RunViews({
  run,
  profile,
  view,
}: {
  run: Run
  profile: ProfileDocument
  view: ViewState
}) {
  const treeState = useCallTree(profile)
  // Built when the butterfly view first shows (small profiles build it on this thread).
  const invertedState = useInvertedTree(view.tab === 'butterfly' ? profile : null)
  const index = selectLazyProfileIndex(profile)
  const tree = treeState.status === 'ready' ? treeState.tree : null
  // The tree the current tab draws (the table draws none).
  const shownState = view.tab === 'butterfly' ? invertedState : treeState
  useIdlePreparation(profile, view)
  const { focus, selectedIndex, focusNode, select, crumbs } = useProfileFocus({
    profile,
    index,
    tree,
    view,
    unreachedLabel: () => null,
  })

  // A file with no functions (`{}`: cProfile enabled and disabled around nothing) has no chart.
  const empty = profile.functions.length === 0
  const isChartTab = view.tab === 'sunburst' || view.tab === 'icicle'
  const drawsTree = isChartTab || view.tab === 'butterfly'
  const panel = selectedIndex !== null && (
    <CallersPanel
      profile={profile}
      index={index}
      selected={selectedIndex}
      search={view.search}
      onSelect={select}
      labels={run.labels}
    >
      <SourceSection run={run} profile={profile} selected={selectedIndex} />
    </CallersPanel>
  )
  const chartProps = focus &&
    tree && {
      profile,
      index,
      tree,
      focus,
      view,
      selectedIndex,
      onFocusNode: focusNode,
      onSelect: select,
      onDepth: (depth: number) => updateView({ depth }, 'replace'),
      onCutoff: (cutoff: number) => updateView({ cutoff }, 'replace'),
      panel,
    }

  return (
    <ProfileViews tabs={TABS} active={view.tab} search={view.search} crumbs={crumbs}>
      {view.tab === 'table' && (
        <WithPanel panel={panel}>
          <StatsTable
            profile={profile}
            sort={view.sort}
            search={view.search}
            selectedIndex={selectedIndex}
            onSort={(sort) => updateView({ sort }, 'push')}
            onSelect={select}
          />
        </WithPanel>
      )}
      {drawsTree && shownState.status === 'building' && (
        <PanelMessage role="status">Building the call tree…</PanelMessage>
      )}
      {drawsTree && shownState.status === 'error' && (
        <PanelMessage role="alert">
          Could not build the call tree: {shownState.message}
        </PanelMessage>
      )}
      {isChartTab && empty && (
        <PanelMessage role="status">
          This profile is empty: the profiler recorded no function calls.
        </PanelMessage>
      )}
      {view.tab === 'sunburst' && chartProps && !empty && <Sunburst {...chartProps} />}
      {view.tab === 'icicle' && chartProps && !empty && <Icicle {...chartProps} />}
      {view.tab === 'butterfly' && invertedState.status === 'ready' && (
        <Butterfly
          profile={profile}
          index={index}
          inverted={invertedState.tree}
          view={view}
          selectedIndex={selectedIndex}
          onSelect={select}
          onDepth={(depth) => updateView({ depth }, 'replace')}
          onCutoff={(cutoff) => updateView({ cutoff }, 'replace')}
        />
      )}
      {view.tab === 'memory' && <MemoryView run={run} profile={profile} view={view} />}
    </ProfileViews>
  )
}

/**
 * While another tab shows, the table's columns, current order and search text are worked out
 * when the page is idle, so that the first switch to the Table tab does not (at 100k functions:
 * ~50 ms); and the profile's index, so that the first click on a function does not (~85 ms).
 */
function useIdlePreparation(profile: ProfileDocument, view: ViewState): void {
  const { key, direction } = view.sort
  const tableShown = view.tab === 'table'
  useEffect(() => {
    if (tableShown || typeof requestIdleCallback !== 'function') return
    const id = requestIdleCallback(
      () => {
        selectProfileIndex(profile)
        selectSortedOrder(profile, key, direction)
        selectSearchText(profile)
      },
      { timeout: 5000 },
    )
    return () => cancelIdleCallback(id)
  }, [profile, key, direction, tableShown])
}
