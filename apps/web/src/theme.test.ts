import { describe, expect, it } from 'vitest'
import initScript from '../public/theme-init.js?raw'
import { parseThemeChoice, resolveTheme, THEME_STORAGE_KEY, type Theme } from './theme.ts'

describe('theme choice', () => {
  it('reads a stored value; anything else is System', () => {
    expect(parseThemeChoice('light')).toBe('light')
    expect(parseThemeChoice('dark')).toBe('dark')
    for (const value of [null, undefined, '', 'system', 'Dark', 'blue']) {
      expect(parseThemeChoice(value)).toBe('system')
    }
  })

  it('System follows the system; Light and Dark do not', () => {
    expect(resolveTheme('system', true)).toBe('dark')
    expect(resolveTheme('system', false)).toBe('light')
    expect(resolveTheme('light', true)).toBe('light')
    expect(resolveTheme('dark', false)).toBe('dark')
  })
})

/** What public/theme-init.js sets on <html>, run against a stored value and a system setting. */
function runInitScript(stored: string | null | Error, systemDark: boolean): string | undefined {
  const attributes: Record<string, string> = {}
  const localStorage = {
    getItem(key: string) {
      if (stored instanceof Error) throw stored
      return key === THEME_STORAGE_KEY ? stored : null
    },
  }
  const matchMedia = (query: string) => ({
    matches: query === '(prefers-color-scheme: dark)' && systemDark,
  })
  const document = {
    documentElement: {
      setAttribute: (name: string, value: string) => (attributes[name] = value),
    },
  }
  const run = new Function('localStorage', 'matchMedia', 'window', 'document', initScript)
  run(localStorage, matchMedia, { matchMedia }, document)
  return attributes['data-theme']
}

describe('public/theme-init.js (the theme before the first paint)', () => {
  it.each([null, 'light', 'dark', 'system', 'bogus'])(
    'agrees with resolveTheme for the stored value %s',
    (stored) => {
      for (const systemDark of [false, true]) {
        const expected: Theme = resolveTheme(parseThemeChoice(stored), systemDark)
        expect(runInitScript(stored, systemDark)).toBe(expected)
      }
    },
  )

  it('follows the system when storage is refused', () => {
    expect(runInitScript(new Error('SecurityError'), true)).toBe('dark')
    expect(runInitScript(new Error('SecurityError'), false)).toBe('light')
  })
})
