import { functionKey } from './profile-index.ts'

/**
 * The series pages' URLs. A series is the runs that share one label (`project=rasa-policy`);
 * its page and a function's history in it are named by that label and the function as the
 * runs name it, nothing else, so these URLs carry no view state and no `v=`:
 *
 *   /series?label=project%3Drasa-policy
 *   /series/function?label=project%3Drasa-policy&file=%2Fapp%2Frules.py&line=12&name=parse
 *
 * Pure: `URL` in, route out; no throwing on bad input (people edit URLs). A label or function
 * the server does not accept is shown as the server's message, not rewritten here.
 */

export interface SeriesFunctionRef {
  file: string
  line: number
  name: string
}

export type SeriesRoute =
  | { page: 'series'; label: string }
  /** `fn` is null when the URL does not name a whole function (a part missing, a bad line). */
  | { page: 'series-function'; label: string; fn: SeriesFunctionRef | null }

export function seriesUrl(label: string): string {
  return `/series?${new URLSearchParams({ label })}`
}

export function seriesFunctionUrl(label: string, fn: SeriesFunctionRef): string {
  const params = new URLSearchParams({
    label,
    file: fn.file,
    line: String(fn.line),
    name: fn.name,
  })
  return `/series/function?${params}`
}

/** A line as the API takes it: a whole number, not too long to be one. */
function parseLine(raw: string | null): number | null {
  return raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : null
}

/** The series route of `/series` and `/series/function`, else null. */
export function seriesRouteFromUrl(url: URL): SeriesRoute | null {
  const params = new URLSearchParams(url.search)
  const label = params.get('label') ?? ''
  if (/^\/series\/?$/.test(url.pathname)) return { page: 'series', label }
  if (!/^\/series\/function\/?$/.test(url.pathname)) return null
  const file = params.get('file')
  const line = parseLine(params.get('line'))
  const name = params.get('name')
  const fn =
    file !== null && line !== null && name !== null && name !== '' ? { file, line, name } : null
  return { page: 'series-function', label, fn }
}

/** The labels whose series a History link offers first, in this order. */
const PREFERRED_KEYS = ['project', 'branch']
/** Labels that name one run each (profhub.py records them): their series would have one run. */
const ONE_RUN_KEYS = new Set(['commit', 'commit-time'])

/**
 * A run's labels as `KEY=VALUE` (but `commit` and `commit-time`), the default series first: `project` if the run has one, else
 * `branch`, else its first label; the others after it in the run's order.
 */
export function seriesLabelsOf(labels: Record<string, string> | undefined): string[] {
  const entries = Object.entries(labels ?? {}).filter(([key]) => !ONE_RUN_KEYS.has(key))
  const preferred = PREFERRED_KEYS.map((key) => entries.findIndex(([k]) => k === key)).find(
    (index) => index >= 0,
  )
  const first = preferred ?? 0
  const ordered =
    entries.length === 0 ? [] : [entries[first]!, ...entries.filter((_, i) => i !== first)]
  return ordered.map(([key, value]) => `${key}=${value}`)
}

/** The run's page with the function selected (`line` as that run has it). */
export function runFunctionUrl(runId: string, fn: SeriesFunctionRef): string {
  return `/runs/${encodeURIComponent(runId)}?v=2&fn=${encodeURIComponent(functionKey(fn))}`
}

/** The two runs compared, with the function selected (as the later run has it). */
export function compareFunctionUrl(before: string, after: string, fn: SeriesFunctionRef): string {
  const ids = `${encodeURIComponent(before)}/${encodeURIComponent(after)}`
  return `/compare/${ids}?v=2&fn=${encodeURIComponent(functionKey(fn))}`
}
