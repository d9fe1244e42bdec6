import { useMemo, useRef, type KeyboardEvent } from 'react'
import {
  formatFunctionLabel,
  pathTo,
  type CallTreeNode,
  type ProfileDiff,
  type ProfileDocument,
} from '@profhub/profile'
import { updateView, type HistoryMode } from '../../navigation.ts'
import { functionKey } from '../../profile-index.ts'
import {
  selectCompareRows,
  selectFocusSteps,
  selectHeaviestOccurrences,
  selectProfileIndex,
  selectTreeDiff,
} from '../../selectors.ts'
import { formatFocusPath, resolveFocusPath } from '../../tree/focus-path.ts'
import { useCallTree } from '../../tree/tree-loader.ts'
import { urlFromViewState, type CompareViewState, type Tab } from '../../url-state.ts'
import { Breadcrumb, type Crumb } from '../Breadcrumb/Breadcrumb.tsx'
import { ALL_FUNCTIONS, nodeLabel, nodeShortLabel } from '../../node-text.ts'
import { Icicle } from '../Icicle/Icicle.tsx'
import runViewStyles from '../RunPage/RunViews.module.css'
import { Sunburst } from '../Sunburst/Sunburst.tsx'
import { CompareTable } from './CompareTable.tsx'
import { computeDiffColoring } from './diff-coloring.tsx'

const VIEWS: { id: Tab; label: string }[] = [
  { id: 'table', label: 'Table' },
  { id: 'sunburst', label: 'Sunburst' },
  { id: 'icicle', label: 'Icicle' },
]

/**
 * The compare view's tabs: the table of changes by function, and the AFTER run's sunburst and
 * icicle coloured by change. Search, the breadcrumb, Depth and Cutoff, focus and selection work
 * as on a run page (the charts and the breadcrumb follow the after run's call tree).
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
  const selectedIndex = view.selected === null ? null : (index.byKey.get(view.selected) ?? null)
  const tree = afterTree.status === 'ready' ? afterTree.tree : null
  const trees =
    tree && beforeTree.status === 'ready' ? selectTreeDiff(diff, beforeTree.tree, tree) : null
  const coloring = useMemo(
    () => (trees ? computeDiffColoring(after, diff, trees) : null),
    [after, diff, trees],
  )
  const stepOf = selectFocusSteps(after)
  const focus = useMemo(
    () => (tree ? resolveFocusPath(tree, view.focus, stepOf) : null),
    [tree, view.focus, stepOf],
  )
  const rows = selectCompareRows(diff)

  const keyOf = (node: CallTreeNode) =>
    node.func < 0 ? null : functionKey(after.functions[node.func]!)
  const focusNode = (node: CallTreeNode, mode: HistoryMode = 'push') =>
    updateView({ focus: formatFocusPath(node, stepOf), selected: keyOf(node) }, mode)

  // A function of the after run focuses the charts on its heaviest call; a removed one (only
  // in before) is selected in the table alone.
  const select = (key: string | null, mode: HistoryMode) => {
    const func = key === null ? undefined : index.byKey.get(key)
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
      label: last ? nodeLabel(after, node) : nodeShortLabel(after, node),
      title: nodeLabel(after, node),
      href: urlFromViewState({
        ...view,
        focus: formatFocusPath(node, stepOf),
        selected: keyOf(node),
      }),
      onNavigate: () => focusNode(node),
    })
  })
  if (view.selected !== null && (!focus || focus.func !== selectedIndex)) {
    const row = rows.find((r) => r.key === view.selected)
    const fn = selectedIndex === null ? null : after.functions[selectedIndex]!
    if (fn) crumbs.push({ label: formatFunctionLabel(fn) })
    else if (row) crumbs.push({ label: `${row.label} (only in the first run)` })
  }

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
      onDepth: (depth: number) => updateView({ depth }, 'replace'),
      onCutoff: (cutoff: number) => updateView({ cutoff }, 'replace'),
      coloring,
      callersPanel: false,
    }
  const treeError =
    beforeTree.status === 'error' ? beforeTree : afterTree.status === 'error' ? afterTree : null

  return (
    <>
      <div className={runViewStyles.toolbar}>
        <Tabs active={view.tab} />
        <input
          type="search"
          className={runViewStyles.search}
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
        className={runViewStyles.panel}
      >
        {view.tab === 'table' && (
          <CompareTable
            rows={rows}
            matching={diff.matching}
            sort={view.compareSort}
            search={view.search}
            selected={view.selected}
            onSort={(compareSort) => updateView({ compareSort }, 'push')}
            onSelect={select}
          />
        )}
        {view.tab !== 'table' && !treeError && !chartProps && (
          <p role="status" className={runViewStyles.message}>
            Building the call trees…
          </p>
        )}
        {view.tab !== 'table' && treeError && (
          <p role="alert" className={runViewStyles.message}>
            Could not build the call tree: {treeError.message}
          </p>
        )}
        {view.tab === 'sunburst' && chartProps && <Sunburst {...chartProps} />}
        {view.tab === 'icicle' && chartProps && <Icicle {...chartProps} />}
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
    <div
      ref={list}
      role="tablist"
      aria-label="Views"
      className={runViewStyles.tabs}
      onKeyDown={onKeyDown}
    >
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          id={`tab-${v.id}`}
          aria-selected={v.id === active}
          aria-controls={`panel-${v.id}`}
          tabIndex={v.id === active ? 0 : -1}
          className={runViewStyles.tab}
          onClick={() => choose(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  )
}
