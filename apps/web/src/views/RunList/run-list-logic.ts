import type { RunSort, RunSummary } from '@profhub/api'
import { displayText } from '../../display-text.ts'
import { defaultOrder, type ListSort } from '../../run-list-url.ts'

/** The run list's pure parts: sorting by column, compare links, notes and labels. */

/** A click on `column`'s header: its default order, or the other order if it is the sort. */
export function nextSort(current: ListSort, column: RunSort): ListSort {
  if (current.sort !== column) return { sort: column, order: defaultOrder(column) }
  return { sort: column, order: current.order === 'asc' ? 'desc' : 'asc' }
}

export function ariaSort(current: ListSort, column: RunSort): 'ascending' | 'descending' | 'none' {
  if (current.sort !== column) return 'none'
  return current.order === 'asc' ? 'ascending' : 'descending'
}

/** `/compare/<older>/<newer>`: the earlier upload is the baseline. */
export function compareHref(a: RunSummary, b: RunSummary): string {
  const [older, newer] = isOlder(a, b) ? [a, b] : [b, a]
  return `/compare/${encodeURIComponent(older.id)}/${encodeURIComponent(newer.id)}`
}

function isOlder(a: RunSummary, b: RunSummary): boolean {
  if (a.createdAt !== b.createdAt) return Date.parse(a.createdAt) < Date.parse(b.createdAt)
  return a.id < b.id
}

/**
 * A note as shown: its line breaks and tabs kept (CSS pre-wrap), everything else that could
 * hide or move text shown as an escape (displayText alone would show the breaks as `\n`).
 */
export function formatNote(note: string): string {
  return note
    .replace(/\r\n?/g, '\n')
    .split(/([\n\t])/)
    .map((part) => (part === '\n' || part === '\t' ? part : displayText(part)))
    .join('')
}

/** Characters as the server counts them (code points, not UTF-16 units). */
export function countCharacters(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

/** One file's name, or `first.prof + 2 more`. */
export function formatFileList(fileNames: readonly string[]): string {
  const [first = ''] = fileNames
  return fileNames.length <= 1 ? first : `${first} + ${fileNames.length - 1} more`
}
