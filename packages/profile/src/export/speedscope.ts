/**
 * The call tree profhub draws, in speedscope's file format
 * (https://www.speedscope.app/file-format-schema.json), as one evented profile.
 *
 * pstats has no stacks, so the tree is the one `buildCallTree` estimates from the caller
 * totals (see call-tree.ts: a child's time is split in proportion to its callers), with the
 * same bounds as the charts (nodes under 1/100,000 of the total left out, at most 250,000
 * nodes), so that a big profile cannot explode. The file says so in its `name`, the profile's
 * `name` and `exporter`. Each node becomes an open and a close event: the roots one after the
 * other from 0, children one after the other from their parent's start, in seconds; a node's
 * own time (what its children leave) comes after its children. speedscope keeps one frame per
 * function, so its per-function totals add up the function's occurrences; which of them are
 * estimates (the charts' hatching) is not carried: the format has no place for it.
 */
import { buildCallTree, type CallTreeNode, type CallTreeOptions } from '../call-tree.ts'
import { readProfileDocument, type StoredProfileDocument } from '../document.ts'
import { CHART_TREE_OPTIONS } from '../packed-tree.ts'

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json'

/** The bounds of the charts' tree: the export holds what the charts show. */
export const SPEEDSCOPE_TREE_OPTIONS: CallTreeOptions = CHART_TREE_OPTIONS

export const ESTIMATE_NOTE = 'call tree estimated from pstats caller totals'

export interface SpeedscopeFrame {
  name: string
  file: string
  line: number
}

export interface SpeedscopeEvent {
  type: 'O' | 'C'
  frame: number
  at: number
}

export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA
  name: string
  exporter: string
  activeProfileIndex: 0
  shared: { frames: SpeedscopeFrame[] }
  profiles: {
    type: 'evented'
    name: string
    unit: 'seconds'
    startValue: number
    endValue: number
    events: SpeedscopeEvent[]
  }[]
}

export function buildSpeedscopeFile(
  stored: StoredProfileDocument,
  options: { name: string; tree?: CallTreeOptions },
): SpeedscopeFile {
  const doc = readProfileDocument(stored)
  const tree = buildCallTree(doc, options.tree ?? SPEEDSCOPE_TREE_OPTIONS)
  const frames: SpeedscopeFrame[] = []
  const frameOf = new Map<number, number>()
  const frame = (func: number) => {
    let index = frameOf.get(func)
    if (index === undefined) {
      const fn = doc.functions[func]!
      index = frames.push({ name: fn.name, file: fn.file, line: fn.line }) - 1
      frameOf.set(func, index)
    }
    return index
  }

  const events: SpeedscopeEvent[] = []
  // Depth first with an explicit stack: call chains can be thousands of functions deep.
  const stack: { node: CallTreeNode; start: number; next: number; end: number }[] = []
  let at = 0
  for (const root of tree.roots) {
    events.push({ type: 'O', frame: frame(root.func), at })
    stack.push({ node: root, start: at, next: 0, end: at })
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const child = top.node.children[top.next++]
      if (child) {
        events.push({ type: 'O', frame: frame(child.func), at: top.end })
        stack.push({ node: child, start: top.end, next: 0, end: top.end })
        continue
      }
      stack.pop()
      // Children never add up past their parent by more than float slack (call-tree.ts);
      // the close never comes before the last child's, or speedscope refuses the file.
      const end = Math.max(top.start + top.node.value, top.end)
      events.push({ type: 'C', frame: frame(top.node.func), at: end })
      if (stack.length > 0) stack[stack.length - 1]!.end = end
      else at = end
    }
  }

  const name = `${options.name} (${ESTIMATE_NOTE})`
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    name,
    exporter: `profhub (${ESTIMATE_NOTE})`,
    activeProfileIndex: 0,
    shared: { frames },
    profiles: [{ type: 'evented', name, unit: 'seconds', startValue: 0, endValue: at, events }],
  }
}

export function formatSpeedscope(
  stored: StoredProfileDocument,
  options: { name: string; tree?: CallTreeOptions },
): string {
  return JSON.stringify(buildSpeedscopeFile(stored, options))
}
