/**
 * Function names, file names and run names come from uploaded files: untrusted text. React
 * renders them as text (never HTML), and this makes them safe to LOOK at: characters that move or
 * hide other text are shown as visible escapes, the way Python's repr() shows them.
 *
 * - C0/C1 controls (NUL, newline, escape…) → `\n`, `\r`, `\t`, `\x00`
 * - bidi controls (RLO U+202E and friends) → `\u202e`, so `evil\u202Eyp.exe` cannot pose as
 *   `evilexe.py`
 * - zero-width characters, line/paragraph separators, BOM → `\u200b` etc.
 *
 * Combining marks (zalgo) stay: CSS clips them (`overflow: hidden`); the raw text is untouched
 * wherever it is used as data (URLs, search).
 */

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escape(ch: string): string {
  const short = SHORT[ch]
  if (short !== undefined) return short
  const code = ch.charCodeAt(0)
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

export function displayText(text: string): string {
  return text.replace(INVISIBLE, escape)
}
