import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { HistoryMode } from '../../navigation.ts'

export const ROW_HEIGHT = 24

/**
 * A virtualized list of rows with one selected row, shared by the stats and compare tables:
 * only the rows in view are rendered; the selection stays in view; click, arrows, Page Up/Down,
 * Home/End, Enter and Space select; one row is in the tab order.
 *
 * `rows` is the current row set (its identity tells when the order or filter changed), `count`
 * its length, and `rowAt` its row at a position.
 */
export function useSelectableRows<Row extends { key: string }>({
  rows,
  count,
  rowAt,
  selectedPos,
  onSelect,
}: {
  rows: unknown
  count: number
  rowAt: (position: number) => Row | undefined
  selectedPos: number
  onSelect: (key: string, mode: HistoryMode) => void
}) {
  const scroller = useRef<HTMLDivElement>(null)
  // No React Compiler in this app, so its warning about the virtualizer's unstable API is moot.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })

  // Keep the selection in view when it moves (keyboard, callers panel, a shared URL) or when the
  // rows change under it; with no selection, a new order or filter starts from the top.
  const shownRows = useRef(rows)
  useEffect(() => {
    const rowsChanged = shownRows.current !== rows
    shownRows.current = rows
    if (selectedPos >= 0)
      virtualizer.scrollToIndex(selectedPos, { align: rowsChanged ? 'center' : 'auto' })
    else if (rowsChanged) virtualizer.scrollToOffset(0)
  }, [rows, selectedPos, virtualizer])

  // After a keyboard move, focus follows the selection once its row is rendered.
  const pendingFocus = useRef<number | null>(null)
  useEffect(() => {
    if (pendingFocus.current === null) return
    const row = scroller.current?.querySelector<HTMLElement>(
      `[data-index="${pendingFocus.current}"]`,
    )
    if (row) {
      row.focus({ preventScroll: true })
      pendingFocus.current = null
    }
  })

  const items = virtualizer.getVirtualItems()
  // One row is in the tab order: the selected one when rendered, else the first rendered.
  const tabbable =
    selectedPos >= 0 && items.some((item) => item.index === selectedPos)
      ? selectedPos
      : (items[0]?.index ?? -1)

  const onRowClick = (event: MouseEvent<HTMLDivElement>) => {
    const pos = rowPosition(event.target)
    const row = pos === null ? undefined : rowAt(pos)
    if (row) onSelect(row.key, 'push')
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return
    const from = rowPosition(event.target) ?? (selectedPos >= 0 ? selectedPos : -1)
    if (event.key === 'Enter' || event.key === ' ') {
      const row = rowAt(from)
      if (row) {
        event.preventDefault()
        onSelect(row.key, 'push')
      }
      return
    }
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from - 1,
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: count - 1,
    }
    const target = moves[event.key]
    if (target === undefined) return
    event.preventDefault()
    const to = Math.min(count - 1, Math.max(0, target))
    // Arrowing through rows replaces the history entry: Back should not replay every step.
    pendingFocus.current = to
    onSelect(rowAt(to)!.key, 'replace')
    virtualizer.scrollToIndex(to, { align: 'auto' })
  }

  return { scroller, virtualizer, items, tabbable, onRowClick, onKeyDown }
}

function rowPosition(target: EventTarget): number | null {
  const row = target instanceof Element ? target.closest<HTMLElement>('[data-index]') : null
  return row ? Number(row.dataset.index) : null
}
