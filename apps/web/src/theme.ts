/**
 * Light and dark themes. The person's choice (System, Light or Dark) is kept in localStorage;
 * the theme in use is written on <html> as `data-theme="light|dark"`, which global.css's colour
 * variables key on. public/theme-init.js does the same before the first paint (so a dark page
 * never flashes white); this module takes over once the app runs, follows the system setting
 * while the choice is System, and tells the canvas charts, which cannot read CSS variables, when
 * to redraw.
 */

export type Theme = 'light' | 'dark'
export type ThemeChoice = 'system' | Theme

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark']
/** Also read by public/theme-init.js: keep the two in step. */
export const THEME_STORAGE_KEY = 'profhub:theme'
const DARK_QUERY = '(prefers-color-scheme: dark)'

/** A stored value as a choice: anything unknown (or nothing) is System. */
export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system'
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light'
  return choice
}

function readStoredChoice(): ThemeChoice {
  try {
    return parseThemeChoice(localStorage.getItem(THEME_STORAGE_KEY))
  } catch {
    // Storage refused (a sandboxed frame, privacy settings): the system's theme.
    return 'system'
  }
}

function systemIsDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches
}

let choice: ThemeChoice = 'system'
let theme: Theme = 'light'
const listeners = new Set<() => void>()

/** The theme in use ('light' outside a browser: tests, the worker). */
export function activeTheme(): Theme {
  return theme
}

export function activeThemeChoice(): ThemeChoice {
  return choice
}

/** Calls `listener` after each change of the choice or the theme; returns the unsubscribe. */
export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function apply(next: ThemeChoice): void {
  const resolved = resolveTheme(next, systemIsDark())
  if (next === choice && resolved === theme) return
  choice = next
  theme = resolved
  document.documentElement.dataset.theme = resolved
  for (const listener of listeners) listener()
}

/** Remembers the choice (System is the default, so it is stored as no value) and applies it. */
export function setThemeChoice(next: ThemeChoice): void {
  try {
    if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY)
    else localStorage.setItem(THEME_STORAGE_KEY, next)
  } catch {
    // Not remembered, but still applied to this page.
  }
  apply(next)
}

/**
 * Reads the stored choice and keeps the page in step with the system setting and with a choice
 * made in another tab. Called once, before the first render.
 */
export function startThemeSync(): void {
  choice = readStoredChoice()
  theme = resolveTheme(choice, systemIsDark())
  document.documentElement.dataset.theme = theme
  if (typeof matchMedia === 'function') {
    matchMedia(DARK_QUERY).addEventListener('change', () => apply(choice))
  }
  window.addEventListener('storage', (event) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) apply(readStoredChoice())
  })
}
