/**
 * Work cut into steps that a page runs one per task (see tree/diff-loader.ts `inTasks`), so that
 * a 100k-function run never holds the main thread for long.
 */

/** One step per `size` indexes of `0..length`: `work(from, to)` over each slice, in order. */
export function sliceSteps(
  length: number,
  size: number,
  work: (from: number, to: number) => void,
): (() => void)[] {
  return Array.from(
    { length: Math.ceil(length / size) },
    (_, s) => () => work(s * size, Math.min(length, (s + 1) * size)),
  )
}
