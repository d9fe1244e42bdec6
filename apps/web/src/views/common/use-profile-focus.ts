import { useMemo } from 'react'
import {
  formatFunctionLabel,
  pathTo,
  type CallTree,
  type CallTreeNode,
  type ProfileDocument,
} from '@profhub/profile'
import { ALL_FUNCTIONS, nodeFunction, nodeLabel, nodeShortLabel } from '../../node-text.ts'
import { updateView, type HistoryMode } from '../../navigation.ts'
import { functionKey, type ProfileIndex } from '../../profile-index.ts'
import { selectFocusSteps, selectHeaviestOccurrences } from '../../selectors.ts'
import { formatFocusPath, resolveFocusPath } from '../../tree/focus-path.ts'
import { urlFromViewState, type ViewState } from '../../url-state.ts'
import type { Crumb } from '../Breadcrumb/Breadcrumb.tsx'

/**
 * One selection for every view of a profile: the selected function (`fn`) is the table's
 * selected row, the callers panel's subject and the charts' outlined function; the charts' focus
 * (`focus`) is one node of the call tree. Focusing a node in a chart selects its function;
 * selecting a function elsewhere focuses the charts on its heaviest occurrence (where most of its
 * time is; see computeHeaviestOccurrences). The breadcrumb is the focus path, then the selected
 * function when the tree does not reach it.
 *
 * `profile` and `tree` are what the charts draw; `unreachedLabel` names a selected function the
 * tree does not hold (too small to build, or only in a compared run), or null.
 */
export function useProfileFocus({
  profile,
  index,
  tree,
  view,
  unreachedLabel,
}: {
  profile: ProfileDocument
  index: ProfileIndex
  tree: CallTree | null
  view: ViewState
  unreachedLabel: (key: string) => string | null
}) {
  const stepOf = selectFocusSteps(profile)
  const focus = useMemo(
    () => (tree ? resolveFocusPath(tree, view.focus, stepOf) : null),
    [tree, view.focus, stepOf],
  )
  const selectedIndex = view.selected === null ? null : (index.byKey.get(view.selected) ?? null)

  const keyOf = (node: CallTreeNode) =>
    node.func < 0 ? null : functionKey(profile.functions[node.func]!)
  const focusNode = (node: CallTreeNode, mode: HistoryMode = 'push') =>
    updateView({ focus: formatFocusPath(node, stepOf), selected: keyOf(node) }, mode)

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
      label: last ? nodeLabel(profile, node) : nodeShortLabel(profile, node),
      title: nodeLabel(profile, node),
      fn: nodeFunction(profile, node),
      href: urlFromViewState({
        ...view,
        focus: formatFocusPath(node, stepOf),
        selected: keyOf(node),
      }),
      onNavigate: () => focusNode(node),
    })
  })
  // A function the tree does not reach is still selected: say so last.
  if (view.selected !== null && (!focus || focus.func !== selectedIndex)) {
    const fn = selectedIndex === null ? null : profile.functions[selectedIndex]!
    const label = fn ? formatFunctionLabel(fn) : unreachedLabel(view.selected)
    if (label !== null) crumbs.push({ label, fn })
  }

  return { focus, selectedIndex, focusNode, select, crumbs }
}
