import type { Summary } from '@profhub/profile'

/** Display formatting for people (the pstats-style number formats live in @profhub/profile). */

const count = new Intl.NumberFormat('en-US')

/** `12,345` */
export function formatCount(n: number): string {
  return count.format(n)
}

/** pstats' header line: `12,345 function calls (10,000 primitive calls) in 1.234 seconds`. */
export function formatPstatsHeader(summary: Summary): string {
  const calls = `${formatCount(summary.totalCalls)} function calls`
  const primitive =
    summary.primitiveCalls === summary.totalCalls
      ? ''
      : ` (${formatCount(summary.primitiveCalls)} primitive calls)`
  return `${calls}${primitive} in ${summary.totalTime.toFixed(3)} seconds`
}

/** `812 B`, `24.2 KB`, `1.4 MB` (powers of 1024, like most file managers' KB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`
}

/** A change in bytes with its sign: `+1.2 MB`, `-812 B`, `0 B`. */
export function formatBytesChange(bytes: number): string {
  if (bytes === 0) return '0 B'
  return `${bytes > 0 ? '+' : '-'}${formatBytes(Math.abs(bytes))}`
}

/** `28,640,123 bytes`: the exact number beside a rounded one. */
export function formatExactBytes(bytes: number): string {
  return `${formatCount(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
]

/** `just now`, `5 minutes ago`, `yesterday`, `3 months ago`. Unparseable dates give ''. */
export function formatRelativeTime(iso: string, now: number): string {
  const then = Date.parse(iso)
  if (Number.isNaN(then)) return ''
  let value = (then - now) / 1000
  if (Math.abs(value) < 45) return 'just now'
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit)
    value /= size
  }
  return ''
}

const absolute = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
})

/** `25 Nov 2025, 09:07:00` in the viewer's time zone; '' for an unparseable date. */
export function formatAbsoluteTime(iso: string): string {
  const then = Date.parse(iso)
  return Number.isNaN(then) ? '' : absolute.format(then)
}
