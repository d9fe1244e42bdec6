import { useDeferredValue, useId, useMemo, useState } from 'react'
import {
  formatDuration,
  type CallTree,
  type CallTreeNode,
  type ProfileDocument,
} from '@profhub/profile'
import { computeSearchMatches } from '../../chart-colors.ts'
import type { HistoryMode } from '../../navigation.ts'
import type { ProfileIndex } from '../../profile-index.ts'
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
import { FunctionName } from '../common/FunctionName.tsx'
import {
  compareEdgeRows,
  compareFunctionCells,
  runEdgeRows,
  runFunctionCells,
  type CompareSubject,
  type EdgeRow,
} from '../CallersPanel/edge-rows.ts'
import {
  FunctionNumbers,
  NUMBER_COLUMNS,
  NumberCellView,
  OnlyBadge,
} from '../CallersPanel/EdgeNumbers.tsx'
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
  /**
   * Two runs compared (`profile` is the second): the wings show both runs' numbers for the
   * selected function (which may be in the first run only); the chart is the second run's.
   */
  compare?: CompareSubject | null
}

/**
 * The butterfly (speedscope's "sandwich") of the selected function: who called it above, what
 * it called below, each with pstats' exact caller → callee numbers; click one to walk there.
 * Beside it, the bottom-up chart: functions by own time with their callers below, focused on
 * the selected function (or all functions when none is).
 */
export function Butterfly(props: ButterflyProps) {
  const { profile, index, selectedIndex, onSelect, compare } = props
  const hasSubject = compare ? true : selectedIndex !== null
  return (
    <div className={styles.view}>
      <section className={styles.butterfly} aria-label="Butterfly">
        {hasSubject ? (
          <Wings
            profile={profile}
            index={index}
            selected={selectedIndex}
            compare={compare ?? null}
            onSelect={onSelect}
          />
        ) : (
          <p className={styles.hint}>
            Select a function (in a chart, the table or the bottom-up chart) to see who calls it and
            what it calls.
          </p>
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
  compare,
  onSelect,
}: {
  profile: ProfileDocument
  index: ProfileIndex
  selected: number | null
  compare: CompareSubject | null
  onSelect: (key: string | null, mode: HistoryMode) => void
}) {
  const wings = useMemo(() => {
    if (compare) {
      const { row } = compare
      return {
        id: row.key,
        fn: { file: row.file, line: row.line, name: row.name },
        cells: compareFunctionCells(row),
        ...compareEdgeRows(compare),
      }
    }
    const fn = profile.functions[selected!]!
    return {
      id: String(selected),
      fn,
      cells: runFunctionCells(fn),
      callers: runEdgeRows(profile, index, selected!, 'callers'),
      callees: runEdgeRows(profile, index, selected!, 'callees'),
    }
  }, [compare, profile, index, selected])
  return (
    <>
      <EdgeBars
        key={`callers-${wings.id}`}
        title="Callers"
        empty="No callers: a root of the profile."
        rows={wings.callers}
        onSelect={onSelect}
      />
      <div className={styles.centre}>
        <h2 className={styles.centreName}>
          <FunctionName fn={wings.fn} />
        </h2>
        <FunctionNumbers cells={wings.cells} />
        {compare && (
          <p className={styles.hint}>
            Each number: first run → second run (the change). Bars: the second run&apos;s cumtime.
          </p>
        )}
      </div>
      <EdgeBars
        key={`callees-${wings.id}`}
        title="Callees"
        empty="No callees."
        rows={wings.callees}
        onSelect={onSelect}
      />
    </>
  )
}

/** One wing: an edge per row, its bar as long as its cumtime's share of the function's. */
function EdgeBars({
  title,
  empty,
  rows,
  onSelect,
}: {
  title: string
  empty: string
  rows: readonly EdgeRow[]
  onSelect: (key: string | null, mode: HistoryMode) => void
}) {
  const [showAll, setShowAll] = useState(false)
  const shown = showAll ? rows : rows.slice(0, FIRST)
  const headingId = useId()
  return (
    <section className={styles.wing} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.wingTitle}>
        {title} <span className={styles.count}>({rows.length})</span>
      </h3>
      {rows.length === 0 ? (
        <p className={styles.hint}>{empty}</p>
      ) : (
        <ul className={styles.bars}>
          {shown.map((row) => (
            <li key={row.id}>
              <button
                type="button"
                className={styles.bar}
                onClick={() => onSelect(row.key, 'push')}
              >
                {/* The `profile` module has no times per edge: no bar. */}
                <span className={styles.fill} style={{ width: `${row.share * 100}%` }} />
                <span className={styles.barName}>
                  <FunctionName fn={row.fn} />
                </span>
                <OnlyBadge only={row.only} />
                <span className={styles.barNums}>
                  {NUMBER_COLUMNS.map((c) => (
                    <span key={c} className={styles.barNum}>
                      <span className={styles.barLabel}>{c === 'ncalls' ? 'calls' : c}</span>{' '}
                      <NumberCellView label={c} cell={row.cells[c]} />
                    </span>
                  ))}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {shown.length < rows.length && (
        <button type="button" className={styles.more} onClick={() => setShowAll(true)}>
          Show all {rows.length}
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
