import { computeDiffOrder, matchFunctions } from '@profhub/profile'
import { matchingBuffers, unpackKeys, type PackedKeys, type PackedMatching } from './packed-keys.ts'

/**
 * Matches the functions of two runs and orders the compare rows, off the main thread: for a
 * 100k-function run this took the page ~0.5 s (the matching's string ids and the sort by file,
 * line and name). Only the keys come in; the numbers stay on the page, which builds the rows.
 */
declare const self: DedicatedWorkerGlobalScope

export interface DiffRequest {
  before: PackedKeys
  after: PackedKeys
}

export type DiffAnswer = { ok: true; matching: PackedMatching } | { ok: false; message: string }

self.onmessage = (event: MessageEvent<DiffRequest>) => {
  let answer: DiffAnswer
  try {
    const before = unpackKeys(event.data.before)
    const after = unpackKeys(event.data.after)
    const matching = matchFunctions(before, after)
    answer = {
      ok: true,
      matching: { ...matching, order: computeDiffOrder(before, after, matching) },
    }
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  self.postMessage(answer, answer.ok ? matchingBuffers(answer.matching) : [])
}
