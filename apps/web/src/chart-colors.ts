import type { FunctionStats } from '@profhub/profile'

/**
 * Chart colours: one per package, so the eye groups a library's frames. The package is read
 * from the file path (a guess from the path alone: pstats keeps no module names):
 *
 *   .../site-packages/requests/api.py     → requests       (third party: the distribution)
 *   .../lib/python3.11/json/decoder.py    → json           (standard library: the module)
 *   <frozen importlib._bootstrap>         → importlib
 *   ~ (C functions: built-ins)            → built-ins      (one grey for all)
 *   /opt/app/recursion.py                 → /opt/app       (anything else: its directory)
 *
 * A package's colour is a hash of its name, so it is the same in both charts, across runs and
 * across sessions, with nothing to store.
 */

export const BUILTINS = 'built-ins'
export const BUILTIN_COLOR = '#c5cad3'

export function packageOf(file: string): string {
  if (file === '~' || file === '') return BUILTINS
  const frozen = /^<frozen ([^.>]+)/.exec(file)
  if (frozen) return frozen[1]!
  if (file.startsWith('<')) return file
  const parts = file.split(/[/\\]/)
  for (let i = parts.length - 2; i >= 0; i--) {
    const part = parts[i]!
    if (part === 'site-packages' || part === 'dist-packages') return moduleName(parts[i + 1]!)
  }
  for (let i = 0; i < parts.length - 1; i++) {
    // .../lib/python3.11/json/decoder.py, C:\Python311\Lib\json\decoder.py
    if (/^python\d+(\.\d+)*$/i.test(parts[i]!) && /^lib$/i.test(parts[i - 1] ?? '')) {
      return moduleName(parts[i + 1]!)
    }
    if (/^python\d+$/i.test(parts[i - 1] ?? '') && parts[i] === 'Lib')
      return moduleName(parts[i + 1]!)
  }
  // The directory, as written (with its own separators).
  const end = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'))
  return end < 0 ? file : file.slice(0, end) || file.slice(0, 1)
}

function moduleName(part: string): string {
  return part.replace(/\.(py|pyc|pyd|so)$/, '')
}

function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // A final mix so that names differing in their last letter get unrelated hues.
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  h ^= h >>> 12
  return h >>> 0
}

/**
 * Light enough for dark text on top, saturated enough to tell apart. `file` shades the package's
 * colour a little, so neighbouring modules of one package are told apart too.
 */
export function packageColor(pkg: string, file?: string): string {
  if (pkg === BUILTINS) return BUILTIN_COLOR
  const h = hash(pkg)
  const hue = h % 360
  const saturation = 50 + ((h >>> 9) % 25)
  const shade = file === undefined ? 0 : ((hash(file) % 5) - 2) * 2.5
  const lightness = 66 + ((h >>> 17) % 10) + shade
  return `hsl(${hue} ${saturation}% ${lightness}%)`
}

export interface LegendEntry {
  pkg: string
  color: string
  /** Own time (tottime) of the package's functions, seconds. */
  time: number
}

/** Each function's package, by index (each file read once: files are far fewer). */
export function computeFunctionPackages(
  functions: readonly Pick<FunctionStats, 'file'>[],
): string[] {
  const byFile = new Map<string, string>()
  return functions.map((f) => {
    let pkg = byFile.get(f.file)
    if (pkg === undefined) {
      pkg = packageOf(f.file)
      byFile.set(f.file, pkg)
    }
    return pkg
  })
}

/** The packages with the most own time, heaviest first. */
export function computeLegend(
  functions: readonly FunctionStats[],
  packages: readonly string[],
  count: number,
): LegendEntry[] {
  const time = new Map<string, number>()
  functions.forEach((f, i) => {
    const pkg = packages[i]!
    time.set(pkg, (time.get(pkg) ?? 0) + f.tottime)
  })
  return [...time]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([pkg, t]) => ({ pkg, color: packageColor(pkg), time: t }))
}

/** Each function's colour, by index (computed once per file). */
export function computeFunctionColors(
  functions: readonly Pick<FunctionStats, 'file'>[],
  packages: readonly string[],
): string[] {
  const byFile = new Map<string, string>()
  return functions.map((f, i) => {
    let color = byFile.get(f.file)
    if (color === undefined) {
      color = packageColor(packages[i]!, f.file)
      byFile.set(f.file, color)
    }
    return color
  })
}

/**
 * The functions Search picks out in the charts, by index (the table's rule: name or file
 * contains the text, ignoring case); null when the search is empty.
 */
export function computeSearchMatches(
  functions: readonly Pick<FunctionStats, 'name' | 'file'>[],
  text: string,
): Uint8Array | null {
  const needle = text.trim().toLowerCase()
  if (needle === '') return null
  const matches = new Uint8Array(functions.length)
  functions.forEach((f, i) => {
    if (f.name.toLowerCase().includes(needle) || f.file.toLowerCase().includes(needle)) {
      matches[i] = 1
    }
  })
  return matches
}
