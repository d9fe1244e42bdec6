/** Latencies and statuses per endpoint, and the printed report. */

export interface Sample {
  ms: number
  /** The HTTP status, or 0 when the request failed without one (refused, reset). */
  status: number
}

export class Recorder {
  readonly #samples = new Map<string, Sample[]>()
  /** Failures without a status, by message: a reset connection says more than "0". */
  readonly networkErrors = new Map<string, number>()

  add(endpoint: string, sample: Sample): void {
    let list = this.#samples.get(endpoint)
    if (list === undefined) this.#samples.set(endpoint, (list = []))
    list.push(sample)
  }

  addNetworkError(endpoint: string, message: string): void {
    this.add(endpoint, { ms: NaN, status: 0 })
    const key = `${endpoint}: ${message}`
    this.networkErrors.set(key, (this.networkErrors.get(key) ?? 0) + 1)
  }

  endpoints(): string[] {
    return [...this.#samples.keys()].sort()
  }

  samples(endpoint: string): Sample[] {
    return this.#samples.get(endpoint) ?? []
  }

  /** Statuses that are errors (not 2xx; 429 only when `allow429`), by endpoint and status. */
  errors(allow429 = false): Map<string, number> {
    const errors = new Map<string, number>()
    for (const [endpoint, samples] of this.#samples) {
      for (const { status } of samples) {
        if ((status >= 200 && status < 300) || (allow429 && status === 429)) continue
        const key = `${endpoint} ${status === 0 ? 'no response' : status}`
        errors.set(key, (errors.get(key) ?? 0) + 1)
      }
    }
    return errors
  }
}

/** The `q` quantile of `values` (nearest rank); NaN when there are none. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
}

export function formatMs(ms: number): string {
  if (Number.isNaN(ms)) return '-'
  return ms < 10 ? ms.toFixed(1) : Math.round(ms).toString()
}

/** A Markdown table of count, p50, p95 and max per endpoint. */
export function formatLatencyTable(recorder: Recorder): string[] {
  const lines = ['| endpoint | requests | p50 ms | p95 ms | max ms |', '|---|--:|--:|--:|--:|']
  for (const endpoint of recorder.endpoints()) {
    const ms = recorder.samples(endpoint).map((s) => s.ms)
    const cells = [0.5, 0.95, 1].map((q) => formatMs(percentile(ms, q)))
    lines.push(`| ${endpoint} | ${ms.length} | ${cells.join(' | ')} |`)
  }
  return lines
}
