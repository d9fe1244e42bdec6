import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import {
  formatFunctionLabel,
  pathTo,
  type CallTreeNode,
  type ProfileDocument,
} from '@profhub/profile'
import { updateView, type HistoryMode } from '../../navigation.ts'
import { functionKey } from '../../profile-index.ts'
import {
  selectFocusSteps,
  selectHeaviestOccurrences,
  selectProfileIndex,
  selectSearchText,
  selectSortedOrder,
} from '../../selectors.ts'
import { formatFocusPath, resolveFocusPath } from '../../tree/focus-path.ts'
import { useCallTree, useInvertedTree } from '../../tree/tree-loader.ts'
import { urlFromViewState, type Tab, type ViewState } from '../../url-state.ts'
import { Breadcrumb, type Crumb } from '../Breadcrumb/Breadcrumb.tsx'
import { Butterfly } from '../Butterfly/Butterfly.tsx'
import { CallersPanel } from '../CallersPanel/CallersPanel.tsx'
import { ALL_FUNCTIONS, nodeLabel, nodeShortLabel } from '../../node-text.ts'
import { Icicle } from '../Icicle/Icicle.tsx'
import { StatsTable } from '../StatsTable/StatsTable.tsx'
import { Sunburst } from '../Sunburst/Sunburst.tsx'
import styles from './RunViews.module.css'

/**
 * The views of one profile. Add a view by adding an entry here (and its id to `TABS` in
 * url-state.ts); the tablist, its keyboard handling and the URL follow.
 */
const VIEWS: { id: Tab; label: string }[] = [
  { id: 'sunburst', label: 'Sunburst' },
  { id: 'icicle', label: 'Icicle' },
  { id: 'table', label: 'Table' },
  { id: 'butterfly', label: 'Butterfly' },
]

/**
 * One selection for every view: the selected function (`fn`) is the table's selected row, the
 * callers panel's subject and the charts' outlined function; the charts' focus (`focus`) is one
 * node of the call tree. Focusing a node in a chart selects its function; selecting a function
 * in the table or the callers panel focuses the charts on its heaviest occurrence.
 */
export function RunViews({ profile, view }: { profile: ProfileDocument; view: ViewState }) {
  // First: on a first render this starts the trees' build in a worker, which then runs while
  // this thread indexes the functions.
  const treeState = useCallTree(profile)
  // Built when the butterfly view first shows (small profiles build it on this thread).
  const invertedState = useInvertedTree(view.tab === 'butterfly' ? profile : null)
  const index = selectProfileIndex(profile)
  const selectedIndex = view.selected === null ? null : (index.byKey.get(view.selected) ?? null)
  const selectedFunction = selectedIndex === null ? null : profile.functions[selectedIndex]
  const tree = treeState.status === 'ready' ? treeState.tree : null
  // The tree the current tab draws (the table draws none).
  const shownState = view.tab === 'butterfly' ? invertedState : treeState
  const stepOf = selectFocusSteps(profile)
  useIdleTablePreparation(profile, view)
  const focus = useMemo(
    () => (tree ? resolveFocusPath(tree, view.focus, stepOf) : null),
    [tree, view.focus, stepOf],
  )

  const keyOf = (node: CallTreeNode) =>
    node.func < 0 ? null : functionKey(profile.functions[node.func]!)
  const focusNode = (node: CallTreeNode, mode: HistoryMode = 'push') =>
    updateView({ focus: formatFocusPath(node, stepOf), selected: keyOf(node) }, mode)

  const select = (key: string | null, mode: HistoryMode) => {
    const func = key === null ? undefined : index.byKey.get(key)
    // Where most of the function's time is; see computeHeaviestOccurrences.
    const heaviest = tree && func !== undefined ? selectHeaviestOccurrences(tree)[func] : undefined
    const nextFocus = heaviest ? formatFocusPath(heaviest, stepOf) : view.focus
    if (key !== view.selected || nextFocus !== view.focus) {
      updateView({ selected: key, focus: nextFocus }, mode)
    }
  }

  const crumbs: Crumb[] = []
  const path = focus ? pathTo(focus) : []
  if (path.length === 0) {
    crumbs.push({
      label: ALL_FUNCTIONS,
      href: urlFromViewState({ ...view, selected: null, focus: null }),
      onNavigate: () => updateView({ selected: null, focus: null }, 'push'),
    })
  }
  path.forEach((node, i) => {
    const last = i === path.length - 1
    crumbs.push({
      label: last ? nodeLabel(profile, node) : nodeShortLabel(profile, node),
      title: nodeLabel(profile, node),
      href: urlFromViewState({
        ...view,
        focus: formatFocusPath(node, stepOf),
        selected: keyOf(node),
      }),
      onNavigate: () => focusNode(node),
    })
  })
  // A function the tree does not reach (too small to build) is still selected: say so last.
  if (selectedFunction && (!focus || focus.func !== selectedIndex)) {
    crumbs.push({ label: formatFunctionLabel(selectedFunction) })
  }

  // A file with no functions (`{}`: cProfile enabled and disabled around nothing) has no chart.
  const empty = profile.functions.length === 0
  const isChartTab = view.tab === 'sunburst' || view.tab === 'icicle'
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
    }

  return (
    <>
      <div className={styles.toolbar}>
        <Tabs active={view.tab} />
        <input
          type="search"
          className={styles.search}
          aria-label="Search"
          placeholder="Filter by function or file"
          value={view.search}
          onChange={(e) => updateView({ search: e.target.value }, 'replace')}
          spellCheck={false}
          autoComplete="off"
        />
      </div>
      <Breadcrumb items={crumbs} />
      <div
        role="tabpanel"
        id={`panel-${view.tab}`}
        aria-labelledby={`tab-${view.tab}`}
        className={styles.panel}
      >
        {view.tab === 'table' && (
          <div className={styles.tableView}>
            <StatsTable
              profile={profile}
              sort={view.sort}
              search={view.search}
              selectedIndex={selectedIndex}
              onSort={(sort) => updateView({ sort }, 'push')}
              onSelect={select}
            />
            {selectedIndex !== null && (
              <CallersPanel
                profile={profile}
                index={index}
                selected={selectedIndex}
                search={view.search}
                onSelect={select}
              />
            )}
          </div>
        )}
        {view.tab !== 'table' && shownState.status === 'building' && (
          <p role="status" className={styles.message}>
            Building the call tree…
          </p>
        )}
        {view.tab !== 'table' && shownState.status === 'error' && (
          <p role="alert" className={styles.message}>
            Could not build the call tree: {shownState.message}
          </p>
        )}
        {isChartTab && empty && (
          <p role="status" className={styles.message}>
            This profile is empty: the profiler recorded no function calls.
          </p>
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
      </div>
    </>
  )
}

function Tabs({ active }: { active: Tab }) {
  const list = useRef<HTMLDivElement>(null)
  const choose = (tab: Tab) => {
    if (tab !== active) updateView({ tab }, 'push')
  }
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (event: KeyboardEvent) => {
    const i = VIEWS.findIndex((v) => v.id === active)
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length]!
    choose(next.id)
    list.current?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus()
  }
  return (
    <div ref={list} role="tablist" aria-label="Views" className={styles.tabs} onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          id={`tab-${v.id}`}
          aria-selected={v.id === active}
          aria-controls={`panel-${v.id}`}
          tabIndex={v.id === active ? 0 : -1}
          className={styles.tab}
          onClick={() => choose(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  )
}

/**
 * While another tab shows, the table's columns, current order and search text are worked out when the page
 * is idle, so that the first switch to the Table tab does not (at 100k functions: ~50 ms).
 */
function useIdleTablePreparation(profile: ProfileDocument, view: ViewState): void {
  const { key, direction } = view.sort
  const tableShown = view.tab === 'table'
  useEffect(() => {
    if (tableShown || typeof requestIdleCallback !== 'function') return
    const id = requestIdleCallback(
      () => {
        selectSortedOrder(profile, key, direction)
        selectSearchText(profile)
      },
      { timeout: 5000 },
    )
    return () => cancelIdleCallback(id)
  }, [profile, key, direction, tableShown])
}
