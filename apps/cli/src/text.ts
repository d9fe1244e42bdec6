// Names, paths and messages that come from a profile or a server are untrusted text: written
// raw to a terminal, an escape sequence in a function name could move the cursor, rewrite what
// was printed or set the window title. Everything shown to a person goes through here.

// C0 and C1 controls, DEL, and the bidirectional overrides/isolates that reorder what follows.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** The text with control characters shown as `\uXXXX` escapes. */
export function formatSafeText(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** `1.5 MB`, `820 kB`, `312 B` (decimal units, as file managers and browsers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`
}

/** Seconds as pstats prints a total: `0.123 s`, `12.345 s`. */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(3)} s`
}

/** `2024-05-01 14:03:07` in the local time zone: what a person reads in a table. */
export function formatLocalTime(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return formatSafeText(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  )
}

/**
 * A plain-text table: columns padded to their widest cell, the last one left ragged and cut
 * to `maxWidth` (the terminal's width) with an ellipsis, so that a long name never wraps.
 */
export function formatTable(header: string[], rows: string[][], maxWidth?: number): string[] {
  const all = [header, ...rows]
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => Array.from(row[column] ?? '').length)),
  )
  return all.map((row) => {
    const line = row
      .map((cell, column) =>
        column === row.length - 1
          ? cell
          : cell + ' '.repeat((widths[column] ?? 0) - Array.from(cell).length),
      )
      .join('  ')
      .trimEnd()
    const chars = Array.from(line)
    if (maxWidth === undefined || chars.length <= maxWidth) return line
    return `${chars.slice(0, Math.max(maxWidth - 1, 1)).join('')}…`
  })
}
