import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { answerEncoding, KeptAnswers } from '../../../../src/routes/api/runs/kept-answers.ts'

/** An answer's JSON in pieces, counting how many times it was written. */
function writer(rows: number) {
  const counter = { writes: 0 }
  const pieces = function* () {
    counter.writes++
    yield '{"rows":['
    for (let i = 0; i < rows; i++) yield `${i > 0 ? ',' : ''}{"name":"f${i}","ncalls":${i}}`
    yield ']}'
  }
  const text = [...pieces()].join('')
  counter.writes = 0
  return { pieces, text, counter }
}

describe('answerEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['gzip, deflate', 'gzip'],
    ['gzip, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
  ])('%s → %s', (header, encoding) => {
    expect(answerEncoding(header)).toBe(encoding)
  })
})

describe('KeptAnswers', () => {
  it('writes an answer once, compressed as asked, and keeps it', async () => {
    const answers = new KeptAnswers(1e7)
    const { pieces, text, counter } = writer(2000)

    const [br, again] = await Promise.all([
      answers.read('a', 'q', 'br', pieces),
      answers.read('a', 'q', 'br', pieces),
    ])
    expect(counter.writes).toBe(1)
    expect(again).toBe(br)
    expect(br.encoding).toBe('br')
    expect(brotliDecompressSync(br.body).toString()).toBe(text)
    expect(await answers.read('a', 'q', 'br', pieces)).toBe(br)
    expect(counter.writes).toBe(1)

    const gzip = await answers.read('a', 'q', 'gzip', pieces)
    expect(gzip.encoding).toBe('gzip')
    expect(gunzipSync(gzip.body).toString()).toBe(text)
    const plain = await answers.read('a', 'q', 'identity', pieces)
    expect(plain).toEqual({ body: Buffer.from(text), encoding: 'identity' })
    expect(counter.writes).toBe(3)
  })

  it('sends an answer under 1 KB as it is', async () => {
    const answers = new KeptAnswers(1e7)
    const { pieces, text } = writer(3)
    expect(await answers.read('a', 'q', 'br', pieces)).toEqual({
      body: Buffer.from(text),
      encoding: 'identity',
    })
  })

  it('forgets a deleted run, and keeps no more than its budget', async () => {
    const run1 = writer(50)
    const run10 = writer(50)
    const answers = new KeptAnswers(3 * (Buffer.byteLength(run1.text) + 200))
    await answers.read('run1', 'q', 'identity', run1.pieces)
    await answers.read('run10', 'q', 'identity', run10.pieces)
    answers.forget('run1')
    await answers.read('run1', 'q', 'identity', run1.pieces)
    await answers.read('run10', 'q', 'identity', run10.pieces)
    expect([run1.counter.writes, run10.counter.writes]).toEqual([2, 1])

    // Three more answers: only three fit, the oldest go.
    for (const query of ['x', 'y', 'z']) await answers.read('run2', query, 'identity', run1.pieces)
    await answers.read('run10', 'q', 'identity', run10.pieces)
    expect(run10.counter.writes).toBe(2)
  })

  it('counts long questions against its budget: many small answers to long filters', async () => {
    const budget = 1_000_000
    const answers = new KeptAnswers(budget)
    const { pieces } = writer(0)
    for (let i = 0; i < 500; i++) {
      await answers.read('run', `${i} ${'x'.repeat(1000)}`, 'identity', pieces)
    }
    // 500 keys of over 1,000 characters (2 bytes each) are more than the budget holds.
    expect(answers.bytes).toBeLessThanOrEqual(budget)
    expect(answers.bytes).toBeGreaterThan(budget - 3000)
  })

  it('keeps nothing of an answer whose writing failed', async () => {
    const answers = new KeptAnswers(1e7)
    const failing = function* (): Generator<string> {
      yield '{"rows":['.padEnd(2000, ' ')
      throw new Error('table gone')
    }
    await expect(answers.read('a', 'q', 'gzip', failing)).rejects.toThrow('table gone')
    const { pieces, text } = writer(2000)
    const answer = await answers.read('a', 'q', 'gzip', pieces)
    expect(gunzipSync(answer.body).toString()).toBe(text)
  })
})
