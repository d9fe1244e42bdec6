/**
 * The function table as CSV (RFC 4180): one row per pstats entry, largest cumulative time
 * first (ties by file, line, name, as `/stats` orders them).
 *
 * - Lines end with CRLF; `file` and `function` are always quoted, with `"` doubled, so commas,
 *   quotes and line breaks in names survive. Numbers are never quoted.
 * - Times are seconds at full precision (the shortest text that reads back as the same double:
 *   `0.1`, `1.5e-7`).
 * - `tottime_percall` = tottime / ncalls and `cumtime_percall` = cumtime / primitive_calls, as
 *   pstats' `print_stats` computes them; where the divisor is 0 the cell is empty (pstats prints
 *   blanks there too).
 * - Names and paths come from the uploaded file, so a cell can be made to look like a
 *   spreadsheet formula. As OWASP's "CSV Injection" advice says, a text cell that starts with
 *   `=`, `+`, `-`, `@`, tab, carriage return, line feed or NUL gets a leading `'`, which makes
 *   spreadsheets show it as text. So that the original stays recoverable, a cell that already
 *   starts with `'` gets one more: drop one leading `'` from a text cell that starts with `'`
 *   to read the exact name back.
 */
import { readProfileColumns, orderByCumulative } from './columns.ts'
import type { StoredProfileDocument } from '../document.ts'

export const CSV_HEADER =
  'file,line,function,ncalls,primitive_calls,tottime,tottime_percall,cumtime,cumtime_percall'

// eslint-disable-next-line no-control-regex
const FORMULA_START = /^[=+\-@\t\r\n\u0000']/

/** A text cell: formula-guarded, quoted, quotes doubled. */
export function formatCsvText(text: string): string {
  const guarded = FORMULA_START.test(text) ? `'${text}` : text
  return `"${guarded.replaceAll('"', '""')}"`
}

export function formatStatsCsv(stored: StoredProfileDocument): string {
  const doc = readProfileColumns(stored)
  const { strings, functions: f } = doc
  const lines = [CSV_HEADER]
  for (const i of orderByCumulative(doc)) {
    const nc = f.ncalls[i]!
    const cc = f.primitiveCalls[i]!
    const tt = f.tottime[i]!
    const ct = f.cumtime[i]!
    lines.push(
      `${formatCsvText(strings[f.file[i]!]!)},${f.line[i]},${formatCsvText(strings[f.name[i]!]!)},` +
        `${nc},${cc},${tt},${nc === 0 ? '' : tt / nc},${ct},${cc === 0 ? '' : ct / cc}`,
    )
  }
  lines.push('')
  return lines.join('\r\n')
}
