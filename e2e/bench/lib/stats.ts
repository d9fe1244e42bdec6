/** Small number helpers for the benchmarks: medians, percentiles, units. */

export function percentile(xs: readonly number[], p: number): number {
  const sorted = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const at = (sorted.length - 1) * p
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low)
}

export const median = (xs: readonly number[]) => percentile(xs, 0.5)

export const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '–')
export const mb = (bytes: number) =>
  Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(1)} MB` : '–'
export const kb = (bytes: number) =>
  Number.isFinite(bytes) ? `${Math.round(bytes / 1024)} kB` : '–'

/** `1,234 ms (1,100–1,400)`: the median, then the fastest and the slowest. */
export function spread(xs: readonly number[]): string {
  const finite = xs.filter((x) => Number.isFinite(x))
  if (finite.length === 0) return '–'
  const n = (x: number) => Math.round(x).toLocaleString('en-US')
  return `${n(median(finite))} ms (${n(Math.min(...finite))}–${n(Math.max(...finite))})`
}

/** Runs `measure` `times` times, one after the other, and returns every result. */
export async function repeat<T>(times: number, measure: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = []
  for (let i = 0; i < times; i++) results.push(await measure(i))
  return results
}

/** Prints rows as a Markdown table (the benchmark's output is pasted into notes). */
export function printTable(header: string[], rows: string[][]): void {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  console.log(line(header))
  console.log(line(header.map(() => '---')))
  for (const row of rows) console.log(line(row))
}
