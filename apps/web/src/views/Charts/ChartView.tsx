import { useDeferredValue, useId, useMemo, type ReactNode } from 'react'
import {
  formatDuration,
  type CallTree,
  type CallTreeNode,
  type ProfileDocument,
} from '@profhub/profile'
import { computeSearchMatches } from '../../chart-colors.ts'
import type { Partition } from '../../layout/partition.ts'
import { updateView, type HistoryMode } from '../../navigation.ts'
import { functionKey, type ProfileIndex } from '../../profile-index.ts'
import {
  selectChartLabels,
  selectFocusSteps,
  selectFunctionColors,
  selectHeaviestOccurrences,
  selectLegend,
  selectPartition,
} from '../../selectors.ts'
import { computeRevealingFocus, formatFocusPath } from '../../tree/focus-path.ts'
import type { ViewState } from '../../url-state.ts'
import { CallersPanel } from '../CallersPanel/CallersPanel.tsx'
import commonStyles from '../common/common.module.css'
import { icicleRenderer } from '../Icicle/draw-icicle.ts'
import { sunburstRenderer } from '../Sunburst/draw-sunburst.ts'
import { ChartCanvas } from './ChartCanvas.tsx'
import { HotSpots } from '../HotSpots/HotSpots.tsx'
import {
  computeHiddenNotes,
  computeLowerCutoff,
  selectHiddenTime,
  type HiddenNote,
} from '../HotSpots/hidden-notes.ts'
import { ChartControls, type ControlNote } from './ChartControls.tsx'
import { Legend } from './Legend.tsx'
import { formatShare, summarizeNode, type NodeFacts } from '../../node-text.ts'
import styles from './Charts.module.css'

export type ChartKind = 'sunburst' | 'icicle'

const NAMES: Record<ChartKind, string> = { sunburst: 'Sunburst chart', icicle: 'Icicle chart' }
/** Children named in the text alternative. */
const LISTED = 8

/**
 * Another colouring than by package: the compare view colours each node by its change. Given the
 * drawn partition, so that a scale can fit what is in view.
 */
export interface ChartColoring {
  fillFor: (partition: Partition) => (node: CallTreeNode) => string
  legend: (partition: Partition, searching: boolean) => ReactNode
  /** The tooltip's facts. */
  describe: (node: CallTreeNode) => NodeFacts
  /** Words added to a node's summary in the text alternative (`, 1.55 s faster`). */
  annotate: (node: CallTreeNode) => string
  /** The focused call's note on the chart (default: its time and share of the total). */
  focusNote: (focus: CallTreeNode) => string
}

export interface ChartViewProps {
  kind: ChartKind
  profile: ProfileDocument
  index: ProfileIndex
  tree: CallTree
  focus: CallTreeNode
  view: ViewState
  selectedIndex: number | null
  onFocusNode: (node: CallTreeNode) => void
  onSelect: (key: string | null, mode: HistoryMode) => void
  onDepth: (depth: number) => void
  onCutoff: (cutoff: number) => void
  coloring?: ChartColoring
  /**
   * What shows beside the chart: by default the selected function's callers and callees in
   * this profile (the compare view passes its own, with both runs' numbers).
   */
  panel?: ReactNode
  /**
   * The functions with the most own time beside the chart (default: shown unless `coloring`
   * colours by something else, as the compare view does).
   */
  hotSpots?: boolean
}

/** A chart tab: controls, the chart, its legend, and the selected function's callers beside. */
export function ChartView(props: ChartViewProps) {
  const { kind, profile, index, tree, focus, view, selectedIndex, coloring } = props
  const captionId = useId()
  const search = useDeferredValue(view.search)
  const matches = useMemo(
    () => computeSearchMatches(profile.functions, search),
    [profile.functions, search],
  )
  // What is drawn once any zoom settles: the focused subtree, as deep and fine as asked.
  const partition = useMemo(
    () => selectPartition(focus, view.depth, view.cutoff),
    [focus, view.depth, view.cutoff],
  )
  const total = tree.total
  const focusNote = coloring
    ? coloring.focusNote(focus)
    : `${formatDuration(focus.value)} · ${formatShare(focus.value, total)}`
  const fill = useMemo(() => coloring?.fillFor(partition), [coloring, partition])
  // What Depth and Cutoff leave undrawn: one walk per focus and cutoff (see hidden-notes.ts).
  const drawnDepth = partition.truncated ? partition.levels.length - 1 : view.depth
  const notes = useMemo(
    () =>
      computeHiddenNotes(selectHiddenTime(focus, view.cutoff), {
        depth: drawnDepth,
        cutoff: view.cutoff,
        truncated: partition.truncated,
      }),
    [focus, view.cutoff, drawnDepth, partition.truncated],
  )
  // Select `node`'s function and focus the charts where `node` is drawn, within the depth.
  const reveal = (node: CallTreeNode) => {
    if (node.func < 0) return
    const at = computeRevealingFocus(node, view.depth, view.cutoff)
    updateView(
      {
        focus: formatFocusPath(at, selectFocusSteps(profile)),
        selected: functionKey(profile.functions[node.func]!),
      },
      'push',
    )
  }
  const showHotSpot = (func: number) => {
    const heaviest = selectHeaviestOccurrences(tree)[func]
    // Not in the tree (too small to build there): selecting it still shows its callers.
    if (heaviest) reveal(heaviest)
    else props.onSelect(functionKey(profile.functions[func]!), 'push')
  }
  const controlNote = (note: HiddenNote | null): ControlNote | null => {
    if (!note) return null
    const { action } = note
    const onShow =
      action.kind === 'depth'
        ? () => props.onDepth(action.depth)
        : action.kind === 'cutoff'
          ? () => props.onCutoff(computeLowerCutoff(focus, drawnDepth, view.cutoff))
          : () => props.onFocusNode(action.node)
    return { text: note.text, label: note.label, onShow }
  }
  const showHotSpots = props.hotSpots ?? !coloring
  const common = {
    name: NAMES[kind],
    doc: profile,
    total,
    partition,
    depth: view.depth,
    cutoff: view.cutoff,
    colors: selectFunctionColors(profile),
    fill,
    describe: coloring?.describe,
    matches,
    selectedFunc: selectedIndex,
    label: selectChartLabels(profile),
    focusNote,
    describedBy: captionId,
    onFocusNode: props.onFocusNode,
  }

  return (
    <div className={styles.chartView}>
      <div className={styles.chartColumn}>
        <div className={styles.toolbar}>
          <ChartControls
            depth={view.depth}
            cutoff={view.cutoff}
            onDepth={props.onDepth}
            onCutoff={props.onCutoff}
            depthNote={controlNote(notes.depth)}
            cutoffNote={controlNote(notes.cutoff)}
          />
          <p className={styles.status}>
            <span>
              {partition.cells.length === 1
                ? '1 call in view'
                : `${partition.cells.length.toLocaleString('en-US')} calls in view`}
            </span>
            {partition.truncated && ' (fewer levels than asked: too many calls)'}
            {matches && <span> · {formatMatchCount(countMatches(partition, matches))}</span>}
            {tree.truncated && ' · the call tree was cut at its node budget'}
            {selectedIndex !== null && !selectHeaviestOccurrences(tree)[selectedIndex] && (
              <span role="status">
                {' '}
                · the selected function is not in the call tree, which leaves out calls under 0.01 %
                of the time and stops where a call repeats one on its path (pstats keeps no stacks):
                its callers and callees are in the panel
              </span>
            )}
          </p>
        </div>
        <div className={styles.chartBody}>
          <figure className={styles.figure}>
            {/* One canvas per chart kind: each keeps its own cursor. */}
            {kind === 'sunburst' ? (
              <ChartCanvas key="sunburst" renderer={sunburstRenderer} {...common} />
            ) : (
              <ChartCanvas key="icicle" renderer={icicleRenderer} {...common} />
            )}
            <figcaption id={captionId} className={commonStyles.visuallyHidden}>
              <Caption
                kind={kind}
                doc={profile}
                focus={focus}
                total={total}
                matches={matches}
                partition={partition}
                annotate={coloring?.annotate}
              />
            </figcaption>
          </figure>
          {showHotSpots && (
            <HotSpots profile={profile} selectedIndex={selectedIndex} onShow={showHotSpot} />
          )}
        </div>
        {coloring ? (
          coloring.legend(partition, matches !== null)
        ) : (
          <Legend
            entries={selectLegend(profile)}
            totalTime={profile.summary.totalTime}
            searching={matches !== null}
          />
        )}
      </div>
      {props.panel !== undefined
        ? props.panel
        : selectedIndex !== null && (
            <CallersPanel
              profile={profile}
              index={index}
              selected={selectedIndex}
              search={view.search}
              onSelect={props.onSelect}
            />
          )}
    </div>
  )
}

/** The chart in words: what is focused, its largest callees, how many match the search. */
function Caption({
  kind,
  doc,
  focus,
  total,
  matches,
  partition,
  annotate = () => '',
}: {
  kind: ChartKind
  doc: ProfileDocument
  focus: CallTreeNode
  total: number
  matches: Uint8Array | null
  partition: Partition
  annotate?: (node: CallTreeNode) => string
}) {
  const children = focus.children.slice(0, LISTED)
  const more = focus.children.length - children.length
  const matching = matches ? countMatches(partition, matches) : null
  return (
    <>
      <span>
        {kind === 'sunburst' ? 'Sunburst' : 'Icicle'} of the call tree. Focused:{' '}
        {summarizeNode(doc, focus, total)}
        {annotate(focus)}.
      </span>{' '}
      {children.length === 0 ? (
        <span>It calls nothing that is drawn.</span>
      ) : (
        <>
          <span>Largest callees:</span>
          <ol>
            {children.map((child, i) => (
              <li key={i}>
                {summarizeNode(doc, child, total)}
                {annotate(child)}
              </li>
            ))}
          </ol>
          {more > 0 && <span>and {more} more.</span>}
        </>
      )}
      {matching !== null && <span> {matching} drawn calls match the search.</span>}
    </>
  )
}

/** Drawn calls whose function matches the search. */
function countMatches(partition: Partition, matches: Uint8Array): number {
  return partition.cells.filter((c) => c.node.func >= 0 && matches[c.node.func] === 1).length
}

function formatMatchCount(count: number): string {
  if (count === 0) return 'none matches the search'
  return count === 1 ? '1 matches the search' : `${count.toLocaleString('en-US')} match the search`
}
