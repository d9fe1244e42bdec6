/**
 * Which function of one run is which of the other: the matching rule is written out in
 * `diff.ts`'s header; the roots it compares paths below are found in `path-roots.ts`.
 */
import {
  addFolders,
  findProjectRoots,
  isProjectFile,
  type RootedPath,
  parseRootedPath,
  relativeTo,
  type LooseFiles,
} from './path-roots.ts'
import type { FunctionStats, ProfileDocument } from './pstats.ts'

/** Which function of one run is which of the other (see `diff.ts`'s header). */
export interface FunctionMatching {
  /** For each function of `after`, its match in `before`, or -1. */
  beforeOf: Int32Array
  /** For each function of `before`, its match in `after`, or -1. */
  afterOf: Int32Array
  /** For each function of `after`: 1 when it was matched by file and name only (`moved`). */
  moved: Uint8Array
  /**
   * For each function of `after`: 0 when matched at the same path (or not matched), else
   * 1 + the index in `MATCH_ROOTS` of the root its path was compared below.
   */
  root: Uint8Array
}

/**
 * The roots below which paths are compared when they differ: `other-python` is the standard
 * library of another Python version (`lib/python3.11/` against `lib/python3.12/`).
 */
export const MATCH_ROOTS = ['site-packages', 'stdlib', 'project', 'other-python'] as const
export type MatchRoot = (typeof MATCH_ROOTS)[number]

type Key = Pick<FunctionStats, 'file' | 'line' | 'name'>

// Memory addresses in names (`<built-in method __new__ of type object at 0x7f508de5ea00>`).
const ADDRESS = / at 0x[0-9a-f]+/gi
const stripAddresses = (name: string) =>
  name.includes(' at 0x') ? name.replace(ADDRESS, ' at 0x…') : name

/**
 * Keys are made of small integers, not strings: every file, name and line is given an id once
 * (the same text gets the same id in both runs), and a pass compares ids. A string key built
 * per function per pass made the allocations and hashing of long paths the slowest part on
 * 100k-function profiles. Untrusted names and paths never meet a separator: nothing can collide.
 */
class Ids<T> {
  readonly map = new Map<T, number>()
  of(value: T): number {
    let id = this.map.get(value)
    if (id === undefined) this.map.set(value, (id = this.map.size))
    return id
  }
}

/** One run, in ids. */
interface Side {
  functions: readonly Key[]
  /** Ids are shared by the two runs: the same file, name or line has the same id in both. */
  fileOf: Int32Array
  name: Int32Array
  /** The name with memory addresses left out. */
  bare: Int32Array
  line: Int32Array
  /** Matched in the other run, or -1. */
  match: Int32Array
}

interface Tables {
  files: Ids<string>
  names: Ids<string>
  lines: Ids<number>
}

function buildSide(functions: readonly Key[], { files, names, lines }: Tables, match: Int32Array) {
  const n = functions.length
  const side: Side = {
    functions,
    fileOf: new Int32Array(n),
    name: new Int32Array(n),
    bare: new Int32Array(n),
    line: new Int32Array(n),
    match,
  }
  // Functions come sorted by file: most have the file of the one before.
  let lastFile: string | null = null
  let lastId = -1
  for (let i = 0; i < n; i++) {
    const f = functions[i]!
    if (f.file !== lastFile) [lastFile, lastId] = [f.file, files.of(f.file)]
    side.fileOf[i] = lastId
    side.name[i] = names.of(f.name)
    side.bare[i] = f.name.includes(' at 0x') ? names.of(stripAddresses(f.name)) : side.name[i]!
    side.line[i] = lines.of(f.line)
  }
  return side
}

/**
 * A way to see paths (the path below a root, say): for each file id, its id as seen this way in
 * each run, -1 where the view does not apply; how many such ids; the root it stands for.
 */
type View = [before: Int32Array, after: Int32Array, count: number, kind: MatchRoot | null]

function buildView(
  files: readonly string[],
  kind: MatchRoot | null,
  pathOf: (index: number, side: 'before' | 'after') => string | null,
  sameInBoth: boolean,
): View {
  const ids = new Ids<string>()
  const of = (which: 'before' | 'after') =>
    Int32Array.from(files, (_, index) => {
      const path = pathOf(index, which)
      return path === null ? -1 : ids.of(path)
    })
  const before = of('before')
  return [before, sameInBoth ? before : of('after'), ids.map.size, kind]
}

export function matchFunctions(
  beforeDoc: Pick<ProfileDocument, 'functions'>,
  afterDoc: Pick<ProfileDocument, 'functions'>,
): FunctionMatching {
  const afterOf = new Int32Array(beforeDoc.functions.length).fill(-1)
  const beforeOf = new Int32Array(afterDoc.functions.length).fill(-1)
  const moved = new Uint8Array(afterDoc.functions.length)
  const root = new Uint8Array(afterDoc.functions.length)
  const tables: Tables = { files: new Ids(), names: new Ids(), lines: new Ids() }
  const before = buildSide(beforeDoc.functions, tables, afterOf)
  const after = buildSide(afterDoc.functions, tables, beforeOf)
  const files = [...tables.files.map.keys()]
  const identity = Int32Array.from(files, (_, i) => i)
  const full: View = [identity, identity, files.length, null]

  // 1. The exact key. pstats keys are unique within a run; were one repeated, the first wins
  //    and the others are left for the later passes.
  //    Only files in both runs can hold such pairs (few of them when the checkouts differ).
  const key = keyMaker(full, tables)
  const inAfter = new Uint8Array(files.length)
  for (const file of after.fileOf) inAfter[file] = 1
  const byKey = new Map<number | string, number>()
  for (let b = before.functions.length - 1; b >= 0; b--) {
    const file = before.fileOf[b]!
    if (inAfter[file]) byKey.set(key(file, before.name[b]!, before.line[b]!), b)
  }
  for (let a = 0; a < after.functions.length && byKey.size > 0; a++) {
    const b = byKey.get(key(after.fileOf[a]!, after.name[a]!, after.line[a]!))
    if (b !== undefined && afterOf[b] === -1) {
      beforeOf[a] = b
      afterOf[b] = a
    }
  }
  // Nothing left on a side (the usual case: one checkout): done.
  if (!beforeOf.includes(-1) || !afterOf.includes(-1)) return { beforeOf, afterOf, moved, root }

  // 2a, 2b. The path below a root: site-packages, then the standard library of the same version.
  const rooted = files.map(parseRootedPath)
  const below = (kind: 'site-packages' | 'stdlib' | 'other-python') =>
    buildView(
      files,
      kind,
      (index) => {
        const r = rooted[index]
        if (!r) return null
        if (kind === 'site-packages') return r.root === 'site-packages' ? r.rest : null
        if (r.root !== 'stdlib') return null
        return kind === 'stdlib' ? `${r.version}/${r.rest}` : r.rest
      },
      true,
    )
  const views: View[] = [below('site-packages'), below('stdlib')]
  for (const view of views) pairUnique(view, true)

  // 2c. The project: each run's root is found from what is still unmatched (`path-roots.ts`).
  const stayed = new Set<string>()
  const seen = new Uint8Array(files.length)
  for (let a = 0; a < after.functions.length; a++) {
    const b = beforeOf[a]!
    const file = after.fileOf[a]!
    if (b === -1 || before.fileOf[b] !== file || seen[file]) continue
    seen[file] = 1
    addFolders(files[file]!, stayed)
  }
  const loose = (side: Side) => looseFiles(side, files, rooted, tables.lines.map.size)
  const roots = findProjectRoots(loose(before), loose(after), stayed)
  if (roots) {
    const project = buildView(
      files,
      'project',
      (index, which) =>
        isProjectFile(files[index]!, rooted[index]!)
          ? relativeTo(roots[which], files[index]!)
          : null,
      false,
    )
    views.push(project)
    pairUnique(project, true)
  }
  // 2d. The standard library of another Python version, when nothing better matched.
  const otherPython = below('other-python')
  views.push(otherPython)
  pairUnique(otherPython, true)

  // 3. The same key but for memory addresses: CPython names some built-ins and code objects by
  //    their `repr`, `<built-in method __new__ of type object at 0x7f508de5ea00>`, and the
  //    address changes from run to run.
  pairUnique(full, true)
  // 4. Same file and name, another line; then the same below each root.
  pairUnique(full, false)
  for (const view of views) pairUnique(view, false)

  /**
   * Pairs the functions left on both sides whose file (as `view` sees it), name without
   * addresses and (`withLine`) line are unique on each side. Without the line, a pair is `moved`.
   */
  function pairUnique(view: View, withLine: boolean): void {
    const make = keyMaker(view, tables)
    const keyOf = (side: Side, files: Int32Array, i: number) => {
      const file = files[side.fileOf[i]!]!
      return file === -1 ? null : make(file, side.bare[i]!, withLine ? side.line[i]! : -1)
    }
    const group = (side: Side, files: Int32Array) => {
      const groups = new Map<number | string, number>()
      for (let i = 0; i < side.functions.length; i++) {
        if (side.match[i] !== -1) continue
        const k = keyOf(side, files, i)
        if (k !== null) groups.set(k, groups.has(k) ? AMBIGUOUS : i)
      }
      return groups
    }
    const leftBefore = group(before, view[0])
    if (leftBefore.size === 0) return
    for (const [k, a] of group(after, view[1])) {
      const b = leftBefore.get(k)
      if (a === AMBIGUOUS || b === undefined || b === AMBIGUOUS) continue
      beforeOf[a] = b
      afterOf[b] = a
      moved[a] = withLine ? 0 : 1
      root[a] = view[3] === null ? 0 : MATCH_ROOTS.indexOf(view[3]) + 1
    }
  }
  return { beforeOf, afterOf, moved, root }
}

const AMBIGUOUS = -1

/**
 * One number for (file, name, line) while the product of their counts stays below 2^53 (it
 * does up to ~200k distinct names, lines and files), else a short string. `line` -1: no line.
 */
function keyMaker([, , files, ,]: View, { names, lines }: Tables) {
  const nNames = names.map.size
  const nLines = lines.map.size + 1
  const numeric = files * nNames * nLines < Number.MAX_SAFE_INTEGER
  return (file: number, name: number, line: number): number | string => {
    const fileName = file * nNames + name
    return numeric ? fileName * nLines + line + 1 : `${fileName}:${line}`
  }
}

/** Files of one run with functions still unmatched, and those functions' line and bare name. */
function looseFiles(
  side: Side,
  files: readonly string[],
  rooted: readonly (RootedPath | null)[],
  nLines: number,
): LooseFiles {
  const loose: LooseFiles = new Map()
  for (let i = 0; i < side.functions.length; i++) {
    if (side.match[i] !== -1) continue
    const id = side.fileOf[i]!
    const file = files[id]!
    if (!isProjectFile(file, rooted[id]!)) continue
    let keys = loose.get(file)
    if (!keys) loose.set(file, (keys = new Set()))
    keys.add(side.bare[i]! * nLines + side.line[i]!)
  }
  return loose
}

/** How many functions were matched, and how many of those below a root (see the header). */
export interface MatchCounts {
  matched: number
  added: number
  removed: number
  /** Matched by file and name at another line (counted in `matched`). */
  moved: number
  /** Matched by their path below a root (counted in `matched`). */
  byRoot: Record<MatchRoot, number>
}

export function computeMatchCounts(matching: FunctionMatching): MatchCounts {
  const byRoot = Object.fromEntries(MATCH_ROOTS.map((r) => [r, 0])) as Record<MatchRoot, number>
  let matched = 0
  let moved = 0
  matching.beforeOf.forEach((b, a) => {
    if (b === -1) return
    matched++
    moved += matching.moved[a]!
    const r = matching.root[a]!
    if (r !== 0) byRoot[MATCH_ROOTS[r - 1]!]++
  })
  return {
    matched,
    added: matching.beforeOf.length - matched,
    removed: matching.afterOf.length - matched,
    moved,
    byRoot,
  }
}
