import {
  formatDuration,
  nodeChange,
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
 * The charts of the compare view: the AFTER run's tree, each node coloured by its change against
 * the node at the same call path in BEFORE (`diffCallTrees`), with before/after/change in the
 * tooltip and the text alternative.
 */
export function computeDiffColoring(
  after: ProfileDocument,
  diff: ProfileDiff,
  trees: CallTreeDiff,
): ChartColoring {
  // Function rows by after's index, for the tooltip's call counts.
  const byAfter = new Map<number, FunctionDiff>()
  for (const row of diff.functions) if (row.afterIndex !== null) byAfter.set(row.afterIndex, row)

  // The scale fits the calls drawn below the focused one (see diff-colors.ts).
  const scales = new WeakMap<Partition, number>()
  const scaleOf = (partition: Partition) => {
    let scale = scales.get(partition)
    if (scale === undefined) {
      const cells = partition.cells.length > 1 ? partition.cells.slice(1) : partition.cells
      scale = computeDiffScale(cells.map((cell) => nodeChange(trees, cell.node)))
      scales.set(partition, scale)
    }
    return scale
  }
  const change = (node: CallTreeNode) => nodeChange(trees, node)

  const describe = (node: CallTreeNode): NodeFacts => {
    const pair = trees.beforeNode.get(node)
    const rows: [string, string][] = []
    if (pair) {
      rows.push(['cumtime', `${formatDuration(pair.value)} → ${formatDuration(node.value)}`])
      rows.push(['change', formatChange(change(node), pair.value)])
      rows.push([
        'tottime',
        `${formatDuration(selfTime(pair))} → ${formatDuration(selfTime(node))}`,
      ])
    } else {
      rows.push(['cumtime', `${formatDuration(node.value)}, new: not on this path before`])
      rows.push(['change', formatChange(node.value, 0)])
      rows.push(['tottime', formatDuration(selfTime(node))])
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
      return (node) => diffColor(change(node), scale)
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
        ? `, ${formatChange(change(node), pair.value)} against the first run`
        : ', new in the second run'
    },
    focusNote: (focus) => `${formatDuration(focus.value)} · ${formatSignedDuration(change(focus))}`,
  }
}
