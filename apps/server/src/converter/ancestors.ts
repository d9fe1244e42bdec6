import type { ProfileDocument } from '@profhub/profile'

/** A function as the profile names it. */
export interface FunctionRef {
  file: string
  line: number
  name: string
}

/**
 * For each target (matched by exact file, line and name; [] when the profile has no such
 * function), every function that calls it directly or through others, nearest first: the
 * callers edges walked upward, each function listed once, the target itself left out (even
 * when it calls itself through others). Recursion and cycles end because nothing is visited
 * twice.
 */
export function computeAncestors(
  profile: Pick<ProfileDocument, 'functions' | 'edges'>,
  targets: readonly FunctionRef[],
): FunctionRef[][] {
  const { functions, edges } = profile
  const callers: number[][] = functions.map(() => [])
  for (const edge of edges) callers[edge.callee]!.push(edge.caller)
  const indexOf = new Map<string, number>()
  for (const [i, f] of functions.entries()) indexOf.set(idOf(f), i)
  return targets.map((target) => {
    const start = indexOf.get(idOf(target))
    if (start === undefined) return []
    const seen = new Set([start])
    const order: number[] = []
    // Breadth first: direct callers before their callers.
    for (let queue = [start], at = 0; at < queue.length; at++) {
      for (const caller of callers[queue[at]!]!) {
        if (seen.has(caller)) continue
        seen.add(caller)
        order.push(caller)
        queue.push(caller)
      }
    }
    return order.map((i) => {
      const { file, line, name } = functions[i]!
      return { file, line, name }
    })
  })
}

/** Unambiguous for any texts: JSON keeps the parts apart. */
function idOf({ file, line, name }: FunctionRef): string {
  return JSON.stringify([file, line, name])
}
