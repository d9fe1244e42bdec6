/** At most `limit` tasks at a time; the others wait their turn in order. */
export class Semaphore {
  readonly #waiting: (() => void)[] = []
  #free: number

  constructor(limit: number) {
    this.#free = limit
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    try {
      return await task()
    } finally {
      // Hand the slot straight to the next task, or give it back.
      const next = this.#waiting.shift()
      if (next) next()
      else this.#free += 1
    }
  }
}
