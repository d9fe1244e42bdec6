import { describe, expect, it } from 'vitest'
import { Semaphore } from '../src/semaphore.ts'

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once, in arrival order, through failures', async () => {
    const semaphore = new Semaphore(2)
    let running = 0
    let most = 0
    const started: number[] = []
    const task = (i: number) => async () => {
      started.push(i)
      running += 1
      most = Math.max(most, running)
      await new Promise((resolve) => setTimeout(resolve, 5))
      running -= 1
      if (i === 1) throw new Error('task 1 fails')
      return i
    }

    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => semaphore.run(task(i))))

    expect(most).toBe(2)
    expect(started).toEqual([0, 1, 2, 3, 4])
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ])
  })
})
