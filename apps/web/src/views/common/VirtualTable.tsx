import {
  memo,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react'
import type { SortDirection } from '@profhub/profile'
import { computeColumnLayout, type ColumnSize } from '../../column-layout.ts'
import { formatCount } from '../../format.ts'
import type { HistoryMode } from '../../navigation.ts'
import commonStyles from './common.module.css'
import { Text } from './Text.tsx'
import { useSelectableRows } from './use-selectable-rows.ts'
import styles from './VirtualTable.module.css'

/** One column: what its header says and does, and how its cells render. */
export interface TableColumn<Row, Key extends string> {
  /** The sort key its header sets. */
  key: Key
  /** The header's visible text. */
  label: string
  /**
   * Said before `label` to assistive tech only: the header's accessible name is
   * `${labelPrefix} ${label}` (`ncalls` + `before`), the eye reads the prefix from `group`.
   */
  labelPrefix?: string
  /** Said after `label` to assistive tech only. */
  labelSuffix?: string
  /** Shown once above a run of columns that share it. */
  group?: string
  /** The header's tooltip. */
  description: string
  /** Numbers are right-aligned and sized by their widest text; the label column takes the rest. */
  kind: 'number' | 'label'
  cell: (row: Row) => ReactNode
  /** `more` (red) or `less` (blue), for a change. */
  tone?: (row: Row) => 'more' | 'less' | undefined
  /** Hidden first when the table is narrow (the highest first); absent: always shown. */
  hideOrder?: number
}

export interface SortState<Key extends string> {
  key: Key
  direction: SortDirection
}

interface VirtualTableProps<Row extends { key: string }, Key extends string> {
  /** The table's accessible name. */
  name: string
  columns: readonly TableColumn<Row, Key>[]
  /**
   * Each number column's widest text over all rows (sizes the column); for the label column,
   * the widest function name, which it is made wide enough for (within limits) by hiding columns.
   */
  widest: Partial<Record<Key, string>>
  /** The current row set: its identity says when the order or filter changed. */
  rows: unknown
  count: number
  rowAt: (position: number) => Row | undefined
  /** Rows of all (the count line's "of M functions"). */
  total: number
  selectedPos: number
  sort: SortState<Key>
  defaultDirection: (key: Key) => SortDirection
  onSort: (sort: SortState<Key>) => void
  onSelect: (key: string, mode: HistoryMode) => void
  /** The search the rows are filtered by (for the empty message) and whether it lags the input. */
  search: string
  stale: boolean
  /** A row's `data-status`. */
  status?: (row: Row) => string | undefined
  /** Said before and after "N of M functions" in the count line. */
  countBefore?: ReactNode
  countAfter?: ReactNode
}

/**
 * A virtualized table, shared by the stats and compare tables: only the rows in view are in
 * the DOM, so 100k functions scroll like 100. ARIA table roles on divs (a `<table>` cannot
 * position rows absolutely), `aria-rowcount`/`aria-rowindex` tell assistive tech where the
 * rendered rows sit; sort headers set `aria-sort`. Number columns are as wide as their widest
 * value; when the function column would get too narrow, columns with a `hideOrder` give way.
 */
export function VirtualTable<Row extends { key: string }, Key extends string>(
  props: VirtualTableProps<Row, Key>,
) {
  const { columns, widest, sort, count } = props
  const { scroller, virtualizer, items, tabbable, onRowClick, onKeyDown } = useSelectableRows({
    rows: props.rows,
    count,
    rowAt: props.rowAt,
    selectedPos: props.selectedPos,
    onSelect: props.onSelect,
  })
  const { wrapper, cellProbeRef, headerProbeRef, labelProbeRef, size } = useMeasure()
  const { visible, template, minWidth, groupStarts } = useMemo(() => {
    const { measure } = size
    const sized = columns.map((column) => ({
      column,
      key: column.key,
      width:
        column.kind === 'label'
          ? null
          : Math.max(
              measure('cell', widest[column.key] ?? '0'),
              measure('header', column.label) + SORT_ICON_PX,
            ),
      hideOrder: column.hideOrder,
    })) satisfies ColumnSize[]
    const label = columns.find((c) => c.kind === 'label')
    const nameWidth = measure('label', (label && widest[label.key]) ?? '')
    const least = measure('label', '0'.repeat(LABEL_MIN_CH))
    const most = measure('label', '0'.repeat(LABEL_MAX_CH))
    const labelPx = {
      want: Math.ceil(Math.min(most, Math.max(least, nameWidth))) + LABEL_PADDING_PX,
      least: Math.ceil(least) + LABEL_PADDING_PX,
    }
    const layout = computeColumnLayout(sized, size.width, labelPx)
    const shown = layout.visible.map((c) => c.column)
    // A line between groups, where each group starts.
    const starts = new Set(
      shown.filter((c, i) => c.group && shown[i - 1]?.group !== c.group).map((c) => c.key),
    )
    return {
      visible: shown,
      template: layout.template,
      minWidth: layout.minWidth,
      groupStarts: starts,
    }
  }, [columns, widest, size])

  const onHeaderClick = (key: Key) => {
    props.onSort(
      key === sort.key
        ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: props.defaultDirection(key) },
    )
  }
  const groups = groupRuns(visible)

  return (
    <div ref={wrapper} className={styles.wrapper}>
      {/* Unseen samples of the cells' and headers' fonts, to measure text in. */}
      <span ref={cellProbeRef} aria-hidden="true" className={`${styles.num} ${styles.probe}`} />
      <span
        ref={headerProbeRef}
        aria-hidden="true"
        className={`${styles.sortButton} ${styles.probe}`}
      />
      <span ref={labelProbeRef} aria-hidden="true" className={`${styles.label} ${styles.probe}`} />
      <div
        role="table"
        aria-label={props.name}
        aria-rowcount={count + 1}
        aria-colcount={visible.length}
        className={styles.table}
        style={{ '--columns': template, '--min-width': `${minWidth}px` } as CSSProperties}
      >
        <div role="rowgroup" className={styles.head}>
          {groups.some((g) => g.group) && (
            // The groups, for the eye; each header says its group to assistive tech.
            <div className={styles.groupRow} aria-hidden="true">
              {groups.map((g, i) => (
                <div
                  key={i}
                  className={g.group ? styles.group : undefined}
                  style={{ gridColumn: `span ${g.span}` }}
                >
                  {g.group}
                </div>
              ))}
            </div>
          )}
          <div role="row" aria-rowindex={1} className={styles.headRow}>
            {visible.map((column) => {
              const active = column.key === sort.key
              return (
                <div
                  key={column.key}
                  role="columnheader"
                  aria-sort={
                    active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                  data-group-start={groupStarts.has(column.key) || undefined}
                  className={column.kind === 'label' ? styles.labelHeader : styles.numHeader}
                >
                  <button
                    type="button"
                    className={styles.sortButton}
                    title={column.description}
                    onClick={() => onHeaderClick(column.key)}
                  >
                    <span>
                      {column.labelPrefix && (
                        <span className={commonStyles.visuallyHidden}>{column.labelPrefix} </span>
                      )}
                      {column.label}
                      {column.labelSuffix && (
                        <span className={commonStyles.visuallyHidden}> {column.labelSuffix}</span>
                      )}
                    </span>
                    <span
                      aria-hidden="true"
                      className={styles.sortIcon}
                      data-direction={active ? sort.direction : undefined}
                    />
                  </button>
                </div>
              )
            })}
          </div>
        </div>
        <div
          ref={scroller}
          role="rowgroup"
          className={props.stale ? `${styles.body} ${styles.stale}` : styles.body}
          onClick={onRowClick}
          onKeyDown={onKeyDown}
        >
          <div className={styles.sizer} style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = props.rowAt(item.index)!
              return (
                <Row
                  key={row.key}
                  row={row}
                  columns={visible}
                  groupStarts={groupStarts}
                  status={props.status?.(row)}
                  position={item.index}
                  start={item.start}
                  selected={item.index === props.selectedPos}
                  tabbable={item.index === tabbable}
                />
              )
            })}
          </div>
          {count === 0 && (
            <p className={styles.empty}>
              No function matches “<Text text={props.search} className={styles.emptyText} />
              ”.
            </p>
          )}
        </div>
      </div>
      <p className={styles.count} aria-live="polite">
        {props.countBefore}
        {formatCount(count)} of {formatCount(props.total)} functions
        {props.countAfter}
      </p>
    </div>
  )
}

/** Runs of neighbouring columns with the same group, for the group row's spans. */
function groupRuns(columns: readonly { group?: string }[]) {
  const runs: { group: string | undefined; span: number }[] = []
  for (const column of columns) {
    const last = runs.at(-1)
    if (last && last.group === column.group) last.span++
    else runs.push({ group: column.group, span: 1 })
  }
  return runs
}

/** The header's sort triangle and its gap. */
const SORT_ICON_PX = 12
/**
 * The function column is as wide as the widest name (`:line(name)`, a built-in's label) but at
 * least LABEL_MIN_CH characters, and at most LABEL_MAX_CH (past that a name may be cut).
 */
const LABEL_MIN_CH = 30
const LABEL_MAX_CH = 50
/** The function cell's padding (10px + 8px). */
const LABEL_PADDING_PX = 18

type Font = 'cell' | 'header' | 'label'

/**
 * The wrapper's width and a text measurer for the table's fonts (read from unseen sample
 * elements, so the stylesheet alone decides them), kept up to date as the window resizes.
 */
function useMeasure() {
  const wrapper = useRef<HTMLDivElement>(null)
  const cell = useRef<HTMLSpanElement>(null)
  const header = useRef<HTMLSpanElement>(null)
  const label = useRef<HTMLSpanElement>(null)
  const [size, setSize] = useState<{
    width: number
    measure: (font: Font, text: string) => number
  }>(
    // Before the first measurement: a rough width per character.
    { width: 0, measure: (_font, text) => text.length * 8 },
  )
  useLayoutEffect(() => {
    const el = wrapper.current
    const context = document.createElement('canvas').getContext('2d')
    if (!el || !context) return
    const fonts: Record<Font, string> = { cell: '', header: '', label: '' }
    const cache = new Map<string, number>()
    const measure = (font: Font, text: string) => {
      const key = `${font}\n${text}`
      let width = cache.get(key)
      if (width === undefined) {
        context.font = fonts[font]
        cache.set(key, (width = context.measureText(text).width))
      }
      return width
    }
    const update = () => {
      for (const [font, probe] of [
        ['cell', cell],
        ['header', header],
        ['label', label],
      ] as const) {
        const style = probe.current && getComputedStyle(probe.current)
        const text = style
          ? `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
          : ''
        if (text !== fonts[font]) cache.clear()
        fonts[font] = text
      }
      const width = el.clientWidth
      setSize((old) => (old.width === width && old.measure === measure ? old : { width, measure }))
    }
    update()
    const observer = new ResizeObserver(update)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])
  return { wrapper, cellProbeRef: cell, headerProbeRef: header, labelProbeRef: label, size }
}

interface RowProps<Row> {
  row: Row
  columns: readonly TableColumn<Row, string>[]
  groupStarts: ReadonlySet<string>
  status: string | undefined
  position: number
  start: number
  selected: boolean
  tabbable: boolean
}

const Row = memo(function Row<Row>({
  row,
  columns,
  groupStarts,
  status,
  position,
  start,
  selected,
  tabbable,
}: RowProps<Row>) {
  return (
    <div
      role="row"
      aria-rowindex={position + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      data-index={position}
      data-status={status}
      className={selected ? `${styles.row} ${styles.selected}` : styles.row}
      style={{ transform: `translateY(${start}px)` }}
    >
      {columns.map((column) => (
        <div
          key={column.key}
          role="cell"
          data-tone={column.tone?.(row)}
          data-group-start={groupStarts.has(column.key) || undefined}
          className={column.kind === 'label' ? styles.label : styles.num}
        >
          {column.cell(row)}
        </div>
      ))}
    </div>
  )
}) as <Row>(props: RowProps<Row>) => ReactNode
