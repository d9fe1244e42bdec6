import { formatDuration, formatSeconds } from '@profhub/profile'

/** Changes as people read them: signed, `+` for more (slower), `-` for less (faster). */

/** `+1.23 s`, `-45.6 ms`, `0 s`: a duration with its sign. */
export function formatSignedDuration(seconds: number): string {
  const text = formatDuration(Math.abs(seconds))
  // `0 µs`: too small to show
  if (seconds === 0 || text.startsWith('0 ')) return '0 s'
  return `${seconds > 0 ? '+' : '-'}${text}`
}

/** The change in percent of `before`: `+12.3 %`, `-85 %`; null when there was nothing before. */
export function formatPercentChange(change: number, before: number): string | null {
  if (before === 0) return change === 0 ? '0 %' : null
  const pct = (100 * change) / before
  const size = Math.abs(pct)
  const text = size >= 10 || size === 0 ? size.toFixed(1) : size.toPrecision(2)
  return `${pct > 0 ? '+' : pct < 0 ? '-' : ''}${text} %`
}

/** `-1.55 s (-85.3 %)`, `+2.00 s (new)`. */
export function formatChange(change: number, before: number): string {
  const pct = formatPercentChange(change, before)
  return `${formatSignedDuration(change)} (${pct ?? 'new'})`
}

/** pstats' seconds (`%.3f`) with a sign; a change that rounds to nothing is `0.000`. */
export function formatSignedSeconds(seconds: number): string {
  const text = formatSeconds(Math.abs(seconds))
  if (/^0\.0+$/.test(text)) return text
  return `${seconds > 0 ? '+' : '-'}${text}`
}

/** `+12`, `-33000`, `0`. */
export function formatSignedCount(n: number): string {
  return n > 0 ? `+${n}` : String(n)
}
