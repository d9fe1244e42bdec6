import type { FunctionStats } from '@profhub/profile'

/** How many functions the hot spots list shows. */
export const HOT_SPOTS = 8

const cache = new WeakMap<readonly FunctionStats[], number[]>()

/**
 * The functions with the most own time (pstats' tottime), heaviest first; a tie goes to the
 * lower index. Functions with no own time are never hot. One pass keeping the best `count`
 * (no sort of 100k functions), memoized per profile's function list.
 */
export function computeHotSpots(functions: readonly FunctionStats[], count = HOT_SPOTS): number[] {
  const cached = count === HOT_SPOTS ? cache.get(functions) : undefined
  if (cached) return cached
  const best: number[] = []
  for (let i = 0; i < functions.length; i++) {
    const own = functions[i]!.tottime
    if (!(own > 0)) continue
    if (best.length === count && own <= functions[best[count - 1]!]!.tottime) continue
    let at = best.length === count ? count - 1 : best.length
    while (at > 0 && functions[best[at - 1]!]!.tottime < own) {
      best[at] = best[at - 1]!
      at--
    }
    best[at] = i
    best.length = Math.min(best.length, count)
  }
  if (count === HOT_SPOTS) cache.set(functions, best)
  return best
}
