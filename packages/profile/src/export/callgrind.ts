/**
 * The call graph in the callgrind format (valgrind's "Callgrind Format Specification", version
 * 1), for KCachegrind / QCachegrind, callgrind_annotate and speedscope.
 *
 * It is pstats' own model, nothing invented: one `fn=` block per function with its self cost
 * (tottime), then one `calls=` entry per callee with the inclusive cost of that caller → callee
 * pair (the `ct` of the callee's callers-dict entry for this caller) and its call count (`nc`).
 * There are no stacks in pstats, so there are none here: a viewer that draws a tree from this
 * (speedscope, KCachegrind's call graph) estimates the split just as profhub's charts do.
 *
 * - Event `Time_(10ns)`: integer costs in units of 10 ns, the event name Xdebug writes, which
 *   speedscope shows as time and KCachegrind as a count. Each cost is rounded on its own, so a
 *   sum of costs can be off from the pstats total by half a unit per term.
 * - `positions: line`: a function's costs sit on its definition line (pstats knows no other);
 *   a call is placed on the caller's line. Negative line numbers (no profiler writes them) are
 *   written as 0: readers take a leading `-` for a relative position.
 * - Functions are identified by (file, name) in callgrind, and one Python file often has several
 *   functions of one name (`__init__` of each class): the name is written `name:line`.
 * - Names are compressed (`fn=(12) name` once, `fn=(12)` after). Names and paths are untrusted
 *   text and a line holds one of them: `\` is written `\\`, control characters `\xHH` or
 *   `\uHHHH`, and a name that is empty or starts with white space (which readers strip) gets a
 *   leading `\`; a person reads the file, any two functions still differ.
 * - The `profile` module records a call count per pair and no time: its inclusive cost is
 *   estimated as the callee's cumulative time times this pair's share of its primitive calls
 *   (what the call tree does too), and a comment in the file says so.
 * - One function is not in pstats: `<profile>` (file `<profhub>`) stands for the whole run and
 *   calls each entry point the charts start from (`findRoots`: functions nobody calls, then
 *   the heaviest of what is left, once per call), with its time as the cost. Readers that
 *   start a tree from the functions nobody calls (speedscope) otherwise find nothing under
 *   `python -m cProfile`, where `exec` runs the script whose imports call `exec` again. Its
 *   name cannot be a real function's: those all end in `:line`.
 */
import { buildCallGraph, findRoots } from '../call-graph.ts'
import {
  readProfileDocument,
  type ProfileDocumentV2,
  type StoredProfileDocument,
} from '../document.ts'
import { readProfileColumns } from './columns.ts'

/** Cost units per second: the unit is 10 ns. */
export const CALLGRIND_UNITS_PER_SECOND = 1e8
export const CALLGRIND_EVENT = 'Time_(10ns)'
/** The function that stands for the whole run (see above). */
export const CALLGRIND_ENTRY = { file: '<profhub>', name: '<profile>' }

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g

/** One line's worth of untrusted text, decodable and unambiguous (see above). */
export function formatCallgrindName(text: string): string {
  const body = text.replace(UNSAFE, (char) => {
    if (char === '\\') return '\\\\'
    const code = char.charCodeAt(0)
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`
  })
  return body === '' || /^\s/.test(body) ? `\\${body}` : body
}

export function callgrindCost(seconds: number): number {
  return Math.round(seconds * CALLGRIND_UNITS_PER_SECOND)
}

export function formatCallgrind(stored: StoredProfileDocument, options: { name: string }): string {
  const doc = readProfileColumns(stored)
  const { strings, functions: f, edges: e } = doc
  const count = f.line.length
  // Edges are sorted by callee; a caller's callees are found through a per-caller index.
  const start = new Int32Array(count + 1)
  for (const caller of e.caller) start[caller + 1]!++
  for (let i = 0; i < count; i++) start[i + 1]! += start[i]!
  const byCaller = new Int32Array(e.caller.length)
  const next = start.slice(0, count)
  e.caller.forEach((caller, edge) => (byCaller[next[caller]!++] = edge))

  const fileIds = new Map<number, number>()
  const fnIds = new Int32Array(count) // 0: not written yet
  let nextFn = 1
  // -1: the file of CALLGRIND_ENTRY
  const fileRef = (stringIndex: number) => {
    const id = fileIds.get(stringIndex)
    if (id !== undefined) return `(${id})`
    fileIds.set(stringIndex, fileIds.size + 1)
    const text = stringIndex === -1 ? CALLGRIND_ENTRY.file : strings[stringIndex]!
    return `(${fileIds.size}) ${formatCallgrindName(text)}`
  }
  const fnRef = (i: number) => {
    if (fnIds[i]) return `(${fnIds[i]})`
    fnIds[i] = nextFn++
    return `(${fnIds[i]}) ${formatCallgrindName(`${strings[f.name[i]!]}:${f.line[i]}`)}`
  }
  const position = (i: number) => Math.max(0, f.line[i]!)

  const lines = [
    '# callgrind format',
    'version: 1',
    'creator: profhub (from a pstats profile)',
    `cmd: ${formatCallgrindName(options.name)}`,
    '# Self cost: pstats tottime; call cost: the cumtime pstats records for that caller and',
    '# callee. One unit is 10 ns.',
  ]
  if (e.cumtime.some((ct) => ct === null)) {
    lines.push(
      '# The profile module records no time per call: each call cost is estimated as the',
      "# callee's cumtime times this caller's share of its primitive calls.",
    )
  }
  lines.push(
    `# ${CALLGRIND_ENTRY.name} is not a Python function: it stands for the whole run and calls`,
    '# the entry points profhub finds, each with its own time.',
    'positions: line',
    `events: ${CALLGRIND_EVENT}`,
    '',
  )
  const entries = entryPoints(doc, stored)
  if (entries.length > 0) {
    lines.push(`fl=${fileRef(-1)}`, `fn=(0) ${CALLGRIND_ENTRY.name}`, '0 0')
    for (const { func, seconds } of entries) {
      lines.push(
        `cfl=${fileRef(f.file[func]!)}`,
        `cfn=${fnRef(func)}`,
        `calls=1 ${position(func)}`,
        `0 ${callgrindCost(seconds)}`,
      )
    }
  }

  let total = 0
  let currentFile = -1
  for (let i = 0; i < count; i++) {
    if (f.file[i] !== currentFile) {
      currentFile = f.file[i]!
      lines.push(`fl=${fileRef(currentFile)}`)
    }
    const self = callgrindCost(f.tottime[i]!)
    total += self
    lines.push(`fn=${fnRef(i)}`, `${position(i)} ${self}`)
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const edge = byCaller[k]!
      const callee = e.callee[edge]!
      lines.push(
        `cfl=${fileRef(f.file[callee]!)}`,
        `cfn=${fnRef(callee)}`,
        `calls=${e.ncalls[edge]} ${position(callee)}`,
        `${position(i)} ${callgrindCost(edgeSeconds(doc, edge))}`,
      )
    }
  }
  lines.push('', `totals: ${total}`, '')
  return lines.join('\n')
}

/**
 * The charts' roots with their time: a root's cumulative time, or for one that has none of its
 * own (the `profile` module's entry) what it calls. Roots that took no time are left out.
 */
function entryPoints(doc: ProfileDocumentV2, stored: StoredProfileDocument) {
  const graph = buildCallGraph(readProfileDocument(stored))
  const { functions } = graph.doc
  const calls = (func: number) => {
    let sum = 0
    for (const edge of graph.calleesOf[func]!) {
      const callee = functions[edge.callee]!
      sum += edge.cumtime ?? estimatedSeconds(callee.cumtime, callee.primitiveCalls, edge.ncalls)
    }
    return sum
  }
  return findRoots(graph)
    .map((func) => ({ func, seconds: doc.functions.cumtime[func]! || calls(func) }))
    .filter((root) => root.seconds > 0)
}

/** The pair's inclusive time: recorded by cProfile, estimated for the `profile` module. */
function edgeSeconds(doc: ProfileDocumentV2, edge: number): number {
  const { functions: f, edges: e } = doc
  const recorded = e.cumtime[edge]
  if (recorded !== null && recorded !== undefined) return recorded
  const callee = e.callee[edge]!
  return estimatedSeconds(f.cumtime[callee]!, f.primitiveCalls[callee]!, e.ncalls[edge]!)
}

/** A `profile`-module pair's time: the callee's cumtime by this pair's share of its calls. */
function estimatedSeconds(cumtime: number, primitiveCalls: number, ncalls: number): number {
  return primitiveCalls > 0 ? cumtime * Math.min(1, ncalls / primitiveCalls) : 0
}
