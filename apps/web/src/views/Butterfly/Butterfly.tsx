import { useDeferredValue, useId, useMemo, useState } from 'react'
import {
  formatDuration,
  formatNcalls,
  formatSeconds,
  type CallEdge,
  type CallTree,
  type CallTreeNode,
  type ProfileDocument,
} from '@profhub/profile'
import { computeSearchMatches } from '../../chart-colors.ts'
import type { HistoryMode } from '../../navigation.ts'
import { compareEdges, type ProfileIndex } from '../../profile-index.ts'
import {
  selectChartLabels,
  selectFunctionColors,
  selectInvertedRoots,
  selectPartition,
  selectTableRow,
} from '../../selectors.ts'
import type { ViewState } from '../../url-state.ts'
import { ChartCanvas } from '../Charts/ChartCanvas.tsx'
import { ChartControls } from '../Charts/ChartControls.tsx'
import chartStyles from '../Charts/Charts.module.css'
import { describeInvertedNode, formatShare, summarizeNode } from '../../node-text.ts'
import commonStyles from '../common/common.module.css'
import { Text } from '../common/Text.tsx'
import { icicleRenderer } from '../Icicle/draw-icicle.ts'
import styles from './Butterfly.module.css'

/** Callers or callees listed before "Show all". */
const FIRST = 100

export interface ButterflyProps {
  profile: ProfileDocument
  index: ProfileIndex
  inverted: CallTree
  view: ViewState
  selectedIndex: number | null
  onSelect: (key: string | null, mode: HistoryMode) => void
  onDepth: (depth: number) => void
  onCutoff: (cutoff: number) => void
}

/**
 * The butterfly (speedscope's "sandwich") of the selected function: who called it above, what
 * it called below, each with pstats' exact caller → callee numbers; click one to walk there.
 * Beside it, the bottom-up chart: functions by own time with their callers below, focused on
 * the selected function (or all functions when none is).
 */
export function Butterfly(props: ButterflyProps) {
  const { profile, index, selectedIndex, onSelect } = props
  return (
    <div className={styles.view}>
      <section className={styles.butterfly} aria-label="Butterfly">
        {selectedIndex === null ? (
          <p className={styles.hint}>
            Select a function (in a chart, the table or the bottom-up chart) to see who calls it and
            what it calls.
          </p>
        ) : (
          <Wings profile={profile} index={index} selected={selectedIndex} onSelect={onSelect} />
        )}
      </section>
      <BottomUp {...props} />
    </div>
  )
}

function Wings({
  profile,
  index,
  selected,
  onSelect,
}: {
  profile: ProfileDocument
  index: ProfileIndex
  selected: number
  onSelect: (key: string | null, mode: HistoryMode) => void
}) {
  const row = selectTableRow(profile, selected)
  return (
    <>
      <EdgeBars
        key={`callers-${selected}`}
        title="Callers"
        empty="No callers: a root of the profile."
        profile={profile}
        edges={index.callers[selected] ?? []}
        whole={row.cumtime}
        other={(edge) => edge.caller}
        onSelect={onSelect}
      />
      <div className={styles.centre}>
        <h2 className={styles.centreName}>
          <Text text={row.label} wrap />
        </h2>
        <dl className={styles.centreStats}>
          <div>
            <dt>ncalls</dt>
            <dd>{formatNcalls(row)}</dd>
          </div>
          <div>
            <dt>tottime</dt>
            <dd>{formatSeconds(row.tottime)}</dd>
          </div>
          <div>
            <dt>cumtime</dt>
            <dd>{formatSeconds(row.cumtime)}</dd>
          </div>
        </dl>
      </div>
      <EdgeBars
        key={`callees-${selected}`}
        title="Callees"
        empty="No callees."
        profile={profile}
        edges={index.callees[selected] ?? []}
        whole={row.cumtime}
        other={(edge) => edge.callee}
        onSelect={onSelect}
      />
    </>
  )
}

/** One wing: an edge per row, its bar as long as its cumtime's share of the function's. */
function EdgeBars({
  title,
  empty,
  profile,
  edges,
  whole,
  other,
  onSelect,
}: {
  title: string
  empty: string
  profile: ProfileDocument
  edges: readonly number[]
  whole: number
  other: (edge: CallEdge) => number
  onSelect: (key: string | null, mode: HistoryMode) => void
}) {
  const [showAll, setShowAll] = useState(false)
  const sorted = edges.map((e) => profile.edges[e]!).sort(compareEdges)
  const shown = showAll ? sorted : sorted.slice(0, FIRST)
  const headingId = useId()
  return (
    <section className={styles.wing} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.wingTitle}>
        {title} <span className={styles.count}>({sorted.length})</span>
      </h3>
      {sorted.length === 0 ? (
        <p className={styles.hint}>{empty}</p>
      ) : (
        <ul className={styles.bars}>
          {shown.map((edge) => {
            const target = selectTableRow(profile, other(edge))
            // The `profile` module has no times per edge: no bar.
            const share =
              edge.cumtime === null || whole <= 0 ? 0 : Math.min(1, edge.cumtime / whole)
            const calls =
              edge.primitiveCalls === null
                ? String(edge.ncalls)
                : formatNcalls({ ncalls: edge.ncalls, primitiveCalls: edge.primitiveCalls })
            return (
              <li key={`${edge.caller}-${edge.callee}`}>
                <button
                  type="button"
                  className={styles.bar}
                  onClick={() => onSelect(target.key, 'push')}
                >
                  <span className={styles.fill} style={{ width: `${share * 100}%` }} />
                  <span className={styles.barName}>
                    <Text text={target.label} />
                  </span>
                  <span className={styles.barNums}>
                    {calls} calls · tottime{' '}
                    {edge.tottime === null ? '—' : formatSeconds(edge.tottime)} · cumtime{' '}
                    {edge.cumtime === null ? '—' : formatSeconds(edge.cumtime)}
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
      )}
      {shown.length < sorted.length && (
        <button type="button" className={styles.more} onClick={() => setShowAll(true)}>
          Show all {sorted.length}
        </button>
      )}
    </section>
  )
}

/** The inverted icicle: own time at the top, who is responsible for it below. */
function BottomUp({
  profile,
  inverted,
  view,
  selectedIndex,
  onSelect,
  onDepth,
  onCutoff,
}: ButterflyProps) {
  const captionId = useId()
  const roots = selectInvertedRoots(inverted)
  const focus: CallTreeNode =
    (selectedIndex === null ? undefined : roots.get(selectedIndex)) ?? inverted.top
  const partition = useMemo(
    () => selectPartition(focus, view.depth, view.cutoff),
    [focus, view.depth, view.cutoff],
  )
  const search = useDeferredValue(view.search)
  const matches = useMemo(
    () => computeSearchMatches(profile.functions, search),
    [profile.functions, search],
  )
  const total = inverted.total
  const keyOf = (node: CallTreeNode) =>
    node.func < 0 ? null : selectTableRow(profile, node.func).key
  const children = focus.children.slice(0, 8)
  return (
    <div className={styles.bottomUp}>
      <div className={chartStyles.toolbar}>
        <ChartControls
          depth={view.depth}
          cutoff={view.cutoff}
          onDepth={onDepth}
          onCutoff={onCutoff}
        />
        <p className={chartStyles.status}>
          Bottom-up: own time at the top, its callers below
          {selectedIndex !== null &&
            focus === inverted.top &&
            ' (the selected function has no own time to show)'}
        </p>
      </div>
      <figure className={chartStyles.figure}>
        <ChartCanvas
          renderer={icicleRenderer}
          name="Bottom-up chart"
          doc={profile}
          total={total}
          partition={partition}
          depth={view.depth}
          cutoff={view.cutoff}
          colors={selectFunctionColors(profile)}
          matches={matches}
          selectedFunc={selectedIndex}
          label={selectChartLabels(profile)}
          focusNote={`${formatDuration(focus.value)} own · ${formatShare(focus.value, total)}`}
          describedBy={captionId}
          describe={(node) => describeInvertedNode(profile, node, total)}
          onFocusNode={(node) => onSelect(keyOf(node), 'push')}
        />
        <figcaption id={captionId} className={commonStyles.visuallyHidden}>
          Bottom-up chart of own time. Focused: {summarizeNode(profile, focus, total)}.{' '}
          {children.length > 0 && (
            <>
              {focus === inverted.top ? 'Most own time:' : 'Its callers:'}
              <ol>
                {children.map((child, i) => (
                  <li key={i}>{summarizeNode(profile, child, total)}</li>
                ))}
              </ol>
            </>
          )}
        </figcaption>
      </figure>
    </div>
  )
}
