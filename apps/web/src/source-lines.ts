import { displayText } from './display-text.ts'

/**
 * A source file as the source view shows it. The text is untrusted (uploaded with the run):
 * it is only ever React text, and these make it safe to look at.
 */

/** Lines as Python numbers them (`\n`, `\r\n` and `\r` end a line; a final newline adds none). */
export function splitSourceLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/)
  if (lines.length > 1 && lines.at(-1) === '') lines.pop()
  return lines
}

/**
 * One line for display: tabs expanded to Python's 8-column stops (so indentation lines up), then
 * every other control, bidi and invisible character shown as an escape (`\u202e`): a "Trojan
 * Source" line cannot pose as other code.
 */
export function displaySourceLine(line: string): string {
  let out = ''
  let column = 0
  for (const ch of line) {
    if (ch === '\t') {
      const width = 8 - (column % 8)
      out += ' '.repeat(width)
      column += width
    } else {
      const shown = displayText(ch)
      out += shown
      column += shown.length
    }
  }
  return out
}

/** Lines either side of the `def` a big file shows until "Show the whole file". */
export const SOURCE_CONTEXT = 40

/** Files up to this many lines are shown whole. */
export const SMALL_SOURCE = 2 * SOURCE_CONTEXT + 40

/**
 * The 1-based line range to show: the whole file when it is small (or `whole`), else
 * `SOURCE_CONTEXT` lines either side of `defLine` (clamped to the file).
 */
export function computeSourceWindow(
  lineCount: number,
  defLine: number,
  whole: boolean,
): { first: number; last: number } {
  if (whole || lineCount <= SMALL_SOURCE) return { first: 1, last: lineCount }
  const center = Math.min(Math.max(defLine, 1), lineCount)
  return {
    first: Math.max(1, center - SOURCE_CONTEXT),
    last: Math.min(lineCount, center + SOURCE_CONTEXT),
  }
}
