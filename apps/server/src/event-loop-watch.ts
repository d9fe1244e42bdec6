import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks'

const RESOLUTION_MS = 10

/**
 * How late the event loop has been lately: the longest delay of a 10 ms timer (perf_hooks'
 * event-loop delay histogram) over the last `windowSeconds`, so that `/api/health` can say
 * whether some request blocked every other one, and a load test can read it while it runs.
 * The histogram is emptied once a second into a ring of per-second maxima; a delay is counted
 * beyond the timer's own 10 ms (a loop blocked for 100 ms reads about 95–100).
 */
export class EventLoopWatch {
  readonly windowSeconds: number
  readonly #histogram: IntervalHistogram
  readonly #maxima: number[] = []
  readonly #timer: NodeJS.Timeout

  constructor(windowSeconds = 60) {
    this.windowSeconds = windowSeconds
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
    this.#histogram.enable()
    this.#timer = setInterval(() => {
      this.#maxima.push(this.#currentMaxMs())
      if (this.#maxima.length >= windowSeconds) this.#maxima.shift()
      this.#histogram.reset()
    }, 1000).unref()
  }

  /**
   * The longest delay in the window, and each second's longest, oldest first (the current,
   * unfinished second last): a load test reads the seconds it ran, not the server's start.
   */
  read(): { maxDelayMs: number; windowSeconds: number; perSecondMs: number[] } {
    const perSecond = [...this.#maxima, this.#currentMaxMs()].map(tenths)
    return {
      maxDelayMs: Math.max(...perSecond),
      windowSeconds: this.windowSeconds,
      perSecondMs: perSecond,
    }
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#histogram.disable()
  }

  /** The current second's longest delay past the timer's period (0 before any sample). */
  #currentMaxMs(): number {
    if (this.#histogram.count === 0) return 0
    return Math.max(0, this.#histogram.max / 1e6 - RESOLUTION_MS)
  }
}

function tenths(ms: number): number {
  return Math.round(ms * 10) / 10
}
