import type { SeriesPoint } from '@profhub/api'
import { formatDuration, formatFunctionLabel, formatNcalls } from '@profhub/profile'
import { formatShare } from '../../node-text.ts'

/** The series pages' words and numbers, as plain strings (React renders them as text). */

/** `+212 %`, `-45 %`, `+3.2 %`; `new` when there was nothing before (the API's null). */
export function formatPercent(percent: number | null): string {
  if (percent === null) return 'new'
  const size = Math.abs(percent)
  const text = size >= 10 ? size.toFixed(0) : size === 0 ? '0' : size.toPrecision(2)
  return `${percent > 0 ? '+' : percent < 0 ? '-' : ''}${text} %`
}

/** A run's `commit` label, cut to 10 characters as git's short hashes are; null without one. */
export function shortCommit(labels: Record<string, string> | undefined): string | null {
  const commit = labels?.commit
  return commit === undefined || commit === '' ? null : commit.slice(0, 10)
}

/**
 * `text` in at most `max` characters, cut in the middle: a path keeps its start and, longer,
 * its end (the file's name). Counts code points, so no character is split in two.
 */
export function shortenMiddle(text: string, max: number): string {
  const chars = Array.from(text)
  if (chars.length <= max) return text
  const keep = Math.max(2, max - 1)
  const head = Math.floor(keep * 0.4)
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`
}

/**
 * A function named for a heading or a list, name first: `parse_rule` and `/app/rules.py:12`.
 * Built-ins have no file: `{built-in method builtins.len}` and `built-in`.
 */
export function functionParts(fn: { file: string; line: number; name: string }): {
  name: string
  where: string
} {
  const builtin = fn.line === 0 && (fn.file === '~' || fn.file === '')
  return builtin
    ? { name: formatFunctionLabel(fn), where: 'built-in' }
    : { name: fn.name, where: `${fn.file}:${fn.line}` }
}

export interface HistoryCells {
  ncalls: string
  tottime: string
  cumtime: string
  /** The function's cumulative time in percent of the run's total. */
  share: string
  flag: string
}

/**
 * One run's numbers in the function history table. A run without the function says `absent`
 * in every number: its zeros are the API's filler, not a measured 0 s.
 */
export function historyCells(point: SeriesPoint): HistoryCells {
  if (!point.found) {
    return { ncalls: 'absent', tottime: 'absent', cumtime: 'absent', share: 'absent', flag: '' }
  }
  return {
    ncalls: formatNcalls(point),
    tottime: formatDuration(point.tottime),
    cumtime: formatDuration(point.cumtime),
    share: formatShare(point.cumtime, point.runTotal),
    flag: point.flag ?? '',
  }
}
