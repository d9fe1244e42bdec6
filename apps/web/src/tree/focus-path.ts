import type { CallTree, CallTreeNode } from '@profhub/profile'

/**
 * The charts' focus in the URL: the call path from the tree's top to the focused node, one step
 * per level, each step a short hash of that function's key (`file:line:name`, see
 * `functionKey`). Not array indexes: a link must open the same node after the profile is
 * converted again (or the same program is profiled again), and function indexes are only an
 * artefact of one conversion. Not the keys themselves: a 40-level path of long file names would
 * make URLs of tens of kilobytes (servers refuse request lines over 16 KB).
 *
 *     focus=1xk3v2.0b7f2c.k2l1mm      All functions › <module> › main › parse
 *
 * Two siblings whose keys hash alike (about one chance in four billion per pair) resolve to the
 * heavier. A path that no longer matches all the way (the tree changed) resolves as deep as it
 * matches.
 */

/** FNV-1a (32 bits) of the key's UTF-16 code units, base 36: at most 7 characters. */
export function hashFunctionKey(key: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(36)
}

/** What URLs accept as a focus path. */
export const FOCUS_PATH = /^[0-9a-z]{1,7}(?:\.[0-9a-z]{1,7})*$/
export const MAX_FOCUS_PATH = 4000

/** The focus path of `node`; null for the tree's top (the default view). */
export function formatFocusPath(
  node: CallTreeNode,
  stepOf: (func: number) => string,
): string | null {
  const steps: string[] = []
  for (let at: CallTreeNode | null = node; at && at.parent; at = at.parent) {
    steps.push(stepOf(at.func))
  }
  return steps.length === 0 ? null : steps.reverse().join('.')
}

/** The node a focus path names, or its deepest ancestor that still matches. */
export function resolveFocusPath(
  tree: CallTree,
  path: string | null,
  stepOf: (func: number) => string,
): CallTreeNode {
  let node = tree.top
  if (path === null) return node
  for (const step of path.split('.')) {
    const next = node.children.find((child) => stepOf(child.func) === step)
    if (!next) break
    node = next
  }
  return node
}

/**
 * Each function's heaviest occurrence in the tree (undefined when the tree has none): the node
 * with the largest value among the nodes of that function; on a tie the shallower one (the
 * shorter path to read), then the first in pre-order.
 * Choosing a function in the table focuses the charts there because that is where most of its
 * time is spent, so it is the occurrence worth looking at. Showing all of its occurrences at once
 * (merging them under one root) would be a different view: the butterfly's, which shows the
 * function's callers and callees from pstats' exact edges instead.
 */
export function computeHeaviestOccurrences(tree: CallTree): (CallTreeNode | undefined)[] {
  const heaviest: (CallTreeNode | undefined)[] = []
  const stack = [...tree.top.children].reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    const best = heaviest[node.func]
    if (!best || isHeavier(node, best)) heaviest[node.func] = node
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
  }
  return heaviest
}

function isHeavier(node: CallTreeNode, than: CallTreeNode): boolean {
  const tie = Math.abs(node.value - than.value) <= 1e-9 * Math.max(node.value, than.value)
  return tie ? node.depth < than.depth : node.value > than.value
}

/**
 * The node to focus so that `node` is drawn with some of its context: its ancestor `depth - 1`
 * levels up (the node then sits one level above the chart's last, so its heaviest callees show
 * too), or higher up to the tree's top when the chain is shorter; always at least its caller,
 * unless it has none. The climb stops where `node` would fall under the cutoff (`cutoff`
 * percent of the focused node's time) and so not be drawn. This is how a hot spot deeper than
 * the chart's depth is brought into view with one click, whatever the depth setting.
 */
export function computeRevealingFocus(
  node: CallTreeNode,
  depth: number,
  cutoff: number,
): CallTreeNode {
  const levels = Math.max(1, Math.floor(depth) - 1)
  const minFraction = Math.max(0, cutoff) / 100
  let focus = node
  for (let up = 0; up < levels && focus.parent; up++) {
    const parent: CallTreeNode = focus.parent
    if (up > 0 && node.value < minFraction * parent.value) break
    focus = parent
  }
  return focus
}
