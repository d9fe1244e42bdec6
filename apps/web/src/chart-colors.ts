import type { FunctionStats } from '@profhub/profile'
import { blend, contrastRatio, formatHex, oklchToRgb, parseRgb, type Rgb } from './color-space.ts'
import type { Theme } from './theme.ts'

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

/**
 * Everything on the charts besides the package colours, per theme. Labels are drawn in `text`
 * on every fill (package colours, built-ins grey, `top`), in `mutedText` on a fill faded by
 * `dim` (not matching Search); chart-colors.test.ts checks each pair keeps 4.5:1.
 */
export interface ChartPalette {
  /** The "All functions" cell. */
  top: string
  /** The gap between cells: the page's background. */
  separator: string
  /** Laid over cells that do not match Search. */
  dim: string
  text: string
  mutedText: string
  /** Outline of every node of the selected function. */
  selected: string
  hover: string
  /** The keyboard cursor: `cursor` over a wider `cursorHalo`. */
  cursor: string
  cursorHalo: string
  /** The lines hatching estimated times. */
  hatch: string
  builtin: string
}

export const CHART_PALETTES: Record<Theme, ChartPalette> = {
  light: {
    top: '#e4e8ee',
    separator: '#ffffff',
    dim: 'rgba(255, 255, 255, 0.78)',
    text: '#14181f',
    mutedText: '#4a5360',
    selected: '#14181f',
    hover: 'rgba(20, 24, 31, 0.55)',
    cursor: '#0b63ce',
    cursorHalo: '#ffffff',
    hatch: 'rgba(20, 24, 31, 0.28)',
    builtin: '#c5cad3',
  },
  dark: {
    top: '#2b323c',
    separator: '#0f141a',
    dim: 'rgba(15, 20, 26, 0.75)',
    text: '#f0f3f6',
    mutedText: '#a3adb8',
    selected: '#f0f3f6',
    hover: 'rgba(240, 243, 246, 0.6)',
    cursor: '#5ca1f8',
    cursorHalo: '#0f141a',
    hatch: 'rgba(0, 0, 0, 0.4)',
    builtin: '#4b535e',
  },
}

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

/** `rgba(r, g, b, a)` → its colour and alpha. */
function parseRgba(color: string): [Rgb, number] {
  const alpha = /,\s*([\d.]+)\)$/.exec(color)
  return [parseRgb(color), alpha ? Number(alpha[1]) : 1]
}

/**
 * The lowest contrast of a label drawn on `fill` in a theme: plain, under the hatching of
 * estimated times, and faded by Search (muted text), with and without hatching. For the tests
 * that keep every palette entry at 4.5:1.
 */
export function worstLabelContrast(theme: Theme, fill: string): number {
  const p = CHART_PALETTES[theme]
  const base = parseRgb(fill)
  const text = parseRgb(p.text)
  const muted = parseRgb(p.mutedText)
  const [hatch, hatchAlpha] = parseRgba(p.hatch)
  const [dim, dimAlpha] = parseRgba(p.dim)
  const hatched = blend(hatch, hatchAlpha, base)
  return Math.min(
    contrastRatio(text, base),
    contrastRatio(text, hatched),
    contrastRatio(muted, blend(dim, dimAlpha, base)),
    contrastRatio(muted, blend(dim, dimAlpha, hatched)),
  )
}

/**
 * How far each package colour may stray from its theme's base lightness and chroma (OKLCH):
 * a hash picks the hue (0–359°), one of CHROMA_STEPS chromas and LIGHTNESS_STEPS lightnesses;
 * the file shades it by one of FILE_SHADES steps, so neighbouring modules of one package are
 * told apart too. The light theme's colours are light enough for dark labels, the dark theme's
 * dark enough for light ones, at every hue (OKLCH lightness does not depend on the hue).
 */
export const CHROMA_STEPS = 3
export const LIGHTNESS_STEPS = 4
export const FILE_SHADES = 5
const TONES: Record<Theme, { lightness: number; chroma: number; chromaStep: number }> = {
  light: { lightness: 0.8, chroma: 0.08, chromaStep: 0.025 },
  dark: { lightness: 0.4, chroma: 0.07, chromaStep: 0.02 },
}
const LIGHTNESS_STEP = 0.02
const SHADE_STEP = 0.012

const toneCache = new Map<string, string>()

/** One palette entry: `shade` in 0…FILE_SHADES-1 (the middle one for a package's own colour). */
export function packageTone(
  theme: Theme,
  hue: number,
  chromaStep: number,
  lightnessStep: number,
  shade: number,
): string {
  const key = `${theme} ${hue} ${chromaStep} ${lightnessStep} ${shade}`
  let color = toneCache.get(key)
  if (color === undefined) {
    const tone = TONES[theme]
    const l =
      tone.lightness + lightnessStep * LIGHTNESS_STEP + (shade - (FILE_SHADES - 1) / 2) * SHADE_STEP
    color = formatHex(oklchToRgb(l, tone.chroma + chromaStep * tone.chromaStep, hue))
    toneCache.set(key, color)
  }
  return color
}

/** The package's colour in a theme (`file`: shaded for that file). */
export function packageColor(pkg: string, file?: string, theme: Theme = 'light'): string {
  if (pkg === BUILTINS) return CHART_PALETTES[theme].builtin
  const h = hash(pkg)
  const shade = file === undefined ? (FILE_SHADES - 1) / 2 : hash(file) % FILE_SHADES
  return packageTone(theme, h % 360, (h >>> 9) % CHROMA_STEPS, (h >>> 17) % LIGHTNESS_STEPS, shade)
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
  theme: Theme = 'light',
): LegendEntry[] {
  const time = new Map<string, number>()
  functions.forEach((f, i) => {
    const pkg = packages[i]!
    time.set(pkg, (time.get(pkg) ?? 0) + f.tottime)
  })
  return [...time]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([pkg, t]) => ({ pkg, color: packageColor(pkg, undefined, theme), time: t }))
}

/** Each function's colour, by index (computed once per file). */
export function computeFunctionColors(
  functions: readonly Pick<FunctionStats, 'file'>[],
  packages: readonly string[],
  theme: Theme = 'light',
): string[] {
  const byFile = new Map<string, string>()
  return functions.map((f, i) => {
    let color = byFile.get(f.file)
    if (color === undefined) {
      color = packageColor(packages[i]!, f.file, theme)
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
