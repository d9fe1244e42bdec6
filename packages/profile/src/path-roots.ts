/**
 * Where a profiled file sits, for matching functions across checkouts (see `diff.ts`): the same
 * program profiled on a laptop and in CI names `/home/ann/proj/app/x.py` and
 * `/builds/ci/proj/app/x.py`, `…/venv-a/lib/python3.11/site-packages/requests/api.py` and
 * `/opt/venv/lib/python3.11/site-packages/requests/api.py`. What stays the same is the path
 * below a root: site-packages, the standard library, the project.
 *
 * Paths are untrusted text; nothing here touches a file system. Windows separators (`\`) count
 * as `/`.
 */

const normalize = (file: string) => (file.includes('\\') ? file.replace(/\\/g, '/') : file)

export interface RootedPath {
  root: 'site-packages' | 'stdlib'
  /** `3.11` for the standard library, null for site-packages. */
  version: string | null
  /** The path below the root: `requests/api.py`, `json/decoder.py`. */
  rest: string
}

const SITE_MARKERS = ['/site-packages/', '/dist-packages/']
// `lib64` is Fedora's; the `t` is a free-threaded build's (`python3.13t`).
const STDLIB = /\/lib(?:64)?\/python(\d+\.\d+)t?\//g

/**
 * The path below site-packages / dist-packages (the innermost one), else below the standard
 * library's `lib/pythonX.Y/`, else null.
 */
export function parseRootedPath(file: string): RootedPath | null {
  const path = normalize(file)
  let site = -1
  let marker = ''
  for (const m of SITE_MARKERS) {
    const at = path.lastIndexOf(m)
    if (at > site) [site, marker] = [at, m]
  }
  if (site !== -1)
    return { root: 'site-packages', version: null, rest: path.slice(site + marker.length) }
  if (!path.includes('/python')) return null
  let last: RegExpExecArray | null = null
  STDLIB.lastIndex = 0
  for (let m = STDLIB.exec(path); m; m = STDLIB.exec(path)) last = m
  if (!last) return null
  return { root: 'stdlib', version: last[1]!, rest: path.slice(last.index + last[0].length) }
}

/** The two runs' project roots: each a path prefix ending in `/` (or `''` for relative paths). */
export interface ProjectRoots {
  before: string
  after: string
}

/** A file of one run and its unmatched functions, each as one number for its line and name. */
export type LooseFiles = Map<string, Set<number>>

interface TrieNode {
  children: Map<string, TrieNode>
  /** How many files end in the components from the root to here, and one of them. */
  count: number
  file: string
}

/**
 * Files that can be the project's: real paths, not `~` (built-ins) or `<string>`,
 * `<frozen …>`, and not below site-packages or the standard library (`rooted`, from
 * `parseRootedPath`).
 */
export const isProjectFile = (file: string, rooted: RootedPath | null) =>
  rooted === null && file !== '~' && file !== '' && !file.startsWith('<')

/**
 * Each run's project root, or null when nothing lines up.
 *
 * Every file of `before` votes for the pair of prefixes left when its longest common suffix of
 * path components with a file of `after` is taken off (`/home/ann/` and `/builds/ci/` for
 * `proj/app/x.py`), when exactly one file of `after` has that suffix; a vote weighs as many
 * functions (same line and name) as it would line up. The heaviest pair wins (ties: the longer
 * suffixes, then the first file in order). A pair is refused when either prefix is a folder that
 * holds a function found at the very same path in both runs (`stayed`): that folder did not
 * move, so the files under it that differ are different files, not the same ones elsewhere.
 */
export function findProjectRoots(
  before: LooseFiles,
  after: LooseFiles,
  stayed: ReadonlySet<string>,
): ProjectRoots | null {
  const top: TrieNode = { children: new Map(), count: 0, file: '' }
  for (const file of after.keys()) {
    const parts = normalize(file).split('/')
    let node = top
    for (let i = parts.length - 1; i >= 0; i--) {
      let child = node.children.get(parts[i]!)
      if (!child) node.children.set(parts[i]!, (child = { children: new Map(), count: 0, file }))
      child.count++
      node = child
    }
  }

  const votes = new Map<string, { roots: ProjectRoots; weight: number; depth: number }>()
  for (const [file, keys] of before) {
    const path = normalize(file)
    const parts = path.split('/')
    let node = top
    let depth = 0
    let suffix = 0
    for (let i = parts.length - 1; i >= 0; i--) {
      const child = node.children.get(parts[i]!)
      if (!child) break
      node = child
      depth++
      suffix += parts[i]!.length + (depth > 1 ? 1 : 0)
    }
    if (depth === 0 || node.count !== 1) continue
    const afterKeys = after.get(node.file)!
    let weight = 0
    for (const key of keys) if (afterKeys.has(key)) weight++
    if (weight === 0) continue
    const afterPath = normalize(node.file)
    const roots = {
      before: path.slice(0, path.length - suffix),
      after: afterPath.slice(0, afterPath.length - suffix),
    }
    if (roots.before === roots.after) continue
    const id = `${roots.before.length}:${roots.before}${roots.after}`
    const vote = votes.get(id)
    if (vote) {
      vote.weight += weight
      vote.depth += depth
    } else votes.set(id, { roots, weight, depth })
  }

  let best: { roots: ProjectRoots; weight: number; depth: number } | null = null
  for (const vote of votes.values()) {
    if (stayed.has(vote.roots.before) || stayed.has(vote.roots.after)) continue
    if (
      !best ||
      vote.weight > best.weight ||
      (vote.weight === best.weight && vote.depth > best.depth)
    )
      best = vote
  }
  return best ? best.roots : null
}

/** The path below `root`, or null when the file is not under it. */
export function relativeTo(root: string, file: string): string | null {
  const path = normalize(file)
  return path.startsWith(root) ? path.slice(root.length) : null
}

/** Every folder (with its trailing `/`) that holds `file`: `/`, `/usr/`, `/usr/lib/`… */
export function addFolders(file: string, into: Set<string>): void {
  const path = normalize(file)
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    into.add(path.slice(0, i + 1))
  }
}
