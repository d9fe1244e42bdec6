import {
  formatDuration,
  nodeChange,
  nodeOwnChange,
  selfTime,
  WHOLE_PROFILE,
  type CallTreeDiff,
  type CallTreeNode,
  type FunctionDiff,
  type ProfileDiff,
  type ProfileDocument,
} from '@profhub/profile'
import type { Partition } from '../../layout/partition.ts'
import type { ChartColoring } from '../Charts/ChartView.tsx'
import { exactnessText, nodeLabel, nodeLocation, type NodeFacts } from '../../node-text.ts'
import { computeDiffScale, diffColor } from '../../diff-colors.ts'
import { formatChange, formatSignedDuration } from '../../diff-text.ts'
import { DiffLegend } from './DiffLegend.tsx'

/**
 * The charts of the compare view: the AFTER run's tree, each node coloured by the change of its
 * own time (time in the function itself, not in its callees) against the node at the same call
 * path in BEFORE (`diffCallTrees`). Coloured by the change of its total time, every caller of a
 * function that got slower was as red as the function, the root (the sum of everything) the
 * reddest of all; by own time the function that changed stands out and its callers stay pale.
 * The tooltip and the text alternative give both changes, own and total.
 */
export function computeDiffColoring(
  after: ProfileDocument,
  diff: ProfileDiff,
  trees: CallTreeDiff,
): ChartColoring {
  // Function rows by after's index, for the tooltip's call counts.
  const byAfter = new Map<number, FunctionDiff>()
  for (const row of diff.functions) if (row.afterIndex !== null) byAfter.set(row.afterIndex, row)

  // The scale fits the calls drawn, the focused one with them (see diff-colors.ts).
  const scales = new WeakMap<Partition, number>()
  const scaleOf = (partition: Partition) => {
    let scale = scales.get(partition)
    if (scale === undefined) {
      scale = computeDiffScale(partition.cells.map((cell) => ownChange(cell.node)))
      scales.set(partition, scale)
    }
    return scale
  }
  const change = (node: CallTreeNode) => nodeChange(trees, node)
  const ownChange = (node: CallTreeNode) => nodeOwnChange(trees, node)

  const describe = (node: CallTreeNode): NodeFacts => {
    const pair = trees.beforeNode.get(node)
    const rows: [string, string][] = []
    if (pair) {
      rows.push([
        'tottime',
        `${formatDuration(selfTime(pair))} → ${formatDuration(selfTime(node))}`,
      ])
      rows.push(['own change', formatChange(ownChange(node), selfTime(pair))])
      rows.push(['cumtime', `${formatDuration(pair.value)} → ${formatDuration(node.value)}`])
      rows.push(['total change', formatChange(change(node), pair.value)])
    } else {
      rows.push(['tottime', formatDuration(selfTime(node))])
      rows.push(['own change', formatChange(ownChange(node), 0)])
      rows.push(['cumtime', `${formatDuration(node.value)}, new: not on this path before`])
      rows.push(['total change', formatChange(node.value, 0)])
    }
    if (node.func === WHOLE_PROFILE) {
      rows.push(['ncalls', `${diff.summary.totalCalls.before} → ${diff.summary.totalCalls.after}`])
    } else {
      const fn = byAfter.get(node.func)
      if (fn) {
        const before = fn.beforeIndex === null ? '–' : String(fn.ncalls.before)
        rows.push(['ncalls (function)', `${before} → ${fn.ncalls.after}`])
      }
      if (node.edge) {
        const before = pair?.edge ? String(pair.edge.ncalls) : '–'
        rows.push(['calls from this caller', `${before} → ${node.edge.ncalls}`])
      }
    }
    return {
      label: nodeLabel(after, node),
      location: nodeLocation(after, node),
      rows,
      exactness: exactnessText(node),
      exact: node.exact,
    }
  }

  return {
    fillFor: (partition) => {
      const scale = scaleOf(partition)
      return (node) => diffColor(ownChange(node), scale)
    },
    legend: (partition, searching) => (
      <DiffLegend
        scale={scaleOf(partition)}
        focusBefore={trees.beforeNode.get(partition.root)?.value ?? 0}
        searching={searching}
      />
    ),
    describe,
    annotate: (node) => {
      const pair = trees.beforeNode.get(node)
      return pair
        ? `, own time ${formatChange(ownChange(node), selfTime(pair))}, total ${formatChange(change(node), pair.value)} against the first run`
        : ', new in the second run'
    },
    focusNote: (focus) => `${formatDuration(focus.value)} · ${formatSignedDuration(change(focus))}`,
  }
}
