import { describe, expect, it } from 'vitest'
import { displayText } from './display-text.ts'

describe('displayText', () => {
  it('leaves ordinary text, HTML and non-Latin scripts alone (React escapes HTML)', () => {
    for (const text of [
      '/opt/app/a.py:7(fib)',
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      'café 😀 שלום',
      "{{constructor.constructor('alert(1)')()}}",
    ]) {
      expect(displayText(text)).toBe(text)
    }
  })

  it('shows line breaks, tabs and NUL as escapes', () => {
    expect(displayText('a\nb\r\nc\td\u0000e\u007f')).toBe('a\\nb\\r\\nc\\td\\x00e\\x7f')
  })

  it('shows bidi overrides and zero-width characters instead of obeying them', () => {
    expect(displayText('evil\u202Eyp.exe')).toBe('evil\\u202eyp.exe')
    expect(displayText('a\u200bb\u2066c\u2069\ufeff')).toBe('a\\u200bb\\u2066c\\u2069\\ufeff')
    expect(displayText('x\u2028y')).toBe('x\\u2028y')
  })
})
