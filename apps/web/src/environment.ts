/**
 * What a run ran on (`environment` of `GET /api/runs/:id`): what `profhub.py` sent, or what the
 * server could tell from the file (`guessed`). Every field may be missing; all text is untrusted.
 */
export interface RunEnvironment {
  formatVersion: number
  python?: { version?: string | null; implementation?: string | null } | null
  platform?: {
    system?: string | null
    release?: string | null
    machine?: string | null
    node?: string | null
  } | null
  profiler?: { name?: string | null; clock?: string | null } | null
  command?: string[] | null
  cwd?: string | null
  git?: { commit?: string | null; branch?: string | null; dirty?: boolean | null } | null
  /** tracemalloc ran during the CPU profile: its times include tracing's overhead. */
  memory?: boolean | null
  guessed?: boolean | null
}

export interface EnvironmentDifference {
  /** What differs, in the warning's words (`Pythons`, `clocks`…). */
  what: string
  before: string
  after: string
}

/** '' and null mean "not known", which differs from nothing. */
function known(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value
}

/**
 * `3.11` (guessed from a file) and `3.11.9` (sent by profhub.py) name the same Python as far as
 * anyone can tell: equal when one is the other's dotted prefix.
 */
function sameVersion(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)
}

/** `pstats` and `merged` say the server could not tell which profiler made the file. */
function knownProfiler(name: string | null | undefined): string | null {
  const value = known(name)
  return value === 'pstats' || value === 'merged' ? null : value
}

/**
 * How two runs' environments differ where it makes their times hard to compare: the Python
 * (version, implementation), the profiler and its clock, the machine (host name, architecture).
 * A field known on one side only is no difference: nothing says the runs differ.
 */
export function computeEnvironmentDifferences(
  before: RunEnvironment | null | undefined,
  after: RunEnvironment | null | undefined,
): EnvironmentDifference[] {
  const differences: EnvironmentDifference[] = []
  const check = (
    what: string,
    a: string | null,
    b: string | null,
    same: (a: string, b: string) => boolean = (x, y) => x === y,
  ) => {
    if (a !== null && b !== null && !same(a, b)) differences.push({ what, before: a, after: b })
  }
  check('Pythons', known(before?.python?.version), known(after?.python?.version), sameVersion)
  check(
    'Python implementations',
    known(before?.python?.implementation),
    known(after?.python?.implementation),
  )
  check('profilers', knownProfiler(before?.profiler?.name), knownProfiler(after?.profiler?.name))
  check('clocks', known(before?.profiler?.clock), known(after?.profiler?.clock))
  check('machines', known(before?.platform?.node), known(after?.platform?.node))
  check('architectures', known(before?.platform?.machine), known(after?.platform?.machine))
  return differences
}

/** "These runs ran on different Pythons (3.11.9 vs 3.13.1): times may not be comparable." */
export function formatEnvironmentWarning(differences: readonly EnvironmentDifference[]): string {
  if (differences.length === 0) return ''
  const parts = differences.map((d) => `${d.what} (${d.before} vs ${d.after})`)
  const list =
    parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`
  return `These runs ran on different ${list}: times may not be comparable.`
}

/** A shell-like command line: arguments with spaces or quotes are single-quoted, as sh reads them. */
export function formatCommand(argv: readonly string[]): string {
  return argv
    .map((arg) =>
      arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)
        ? arg
        : `'${arg.replaceAll("'", `'\\''`)}'`,
    )
    .join(' ')
}

/** `3.12.3 (CPython)`, or null when the version is not known. */
export function formatPython(env: RunEnvironment | null | undefined): string | null {
  const version = known(env?.python?.version)
  if (version === null) return null
  const implementation = known(env?.python?.implementation)
  return implementation === null ? version : `${version} (${implementation})`
}

/** `Linux x86_64 · host`: what is known of the platform, or null. */
export function formatPlatform(env: RunEnvironment | null | undefined): string | null {
  const p = env?.platform
  const system = [known(p?.system), known(p?.release)].filter((x) => x !== null).join(' ')
  const parts = [system, known(p?.machine), known(p?.node)].filter((x) => x !== null && x !== '')
  return parts.length === 0 ? null : parts.join(' · ')
}

/** `cProfile, perf_counter clock`, or null. */
export function formatProfiler(env: RunEnvironment | null | undefined): string | null {
  const name = known(env?.profiler?.name)
  const clock = known(env?.profiler?.clock)
  if (name === null && clock === null) return null
  if (clock === null) return name
  return name === null ? `${clock} clock` : `${name}, ${clock} clock`
}

/** `a1b2c3d on main (dirty)`, or null without a commit. */
export function formatGit(env: RunEnvironment | null | undefined): string | null {
  const commit = known(env?.git?.commit)
  if (commit === null) return null
  const branch = known(env?.git?.branch)
  const short = commit.slice(0, 7)
  return `${short}${branch === null ? ' (detached)' : ` on ${branch}`}${env?.git?.dirty ? ' (dirty)' : ''}`
}
