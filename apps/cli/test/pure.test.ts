import { describe, expect, test } from 'vitest'
import { browserCommand } from '../src/browser.ts'
import { describeNetworkError } from '../src/client.ts'
import { separateDashIds } from '../src/cli.ts'
import { exportCommand } from '../src/commands/export.ts'
import { openCommand } from '../src/commands/open.ts'
import { parseDispositionFileName, safeFileName } from '../src/content-disposition.ts'
import { resolveDataDir } from '../src/data-dir.ts'
import { serverEnvironment } from '../src/embedded-server.ts'
import { parseRunRef } from '../src/run-ref.ts'
import { formatSafeText, formatTable } from '../src/text.ts'

describe('parseDispositionFileName + safeFileName', () => {
  test.each([
    ['attachment; filename="run.csv"', 'run.csv'],
    [`attachment; filename="caf_.csv"; filename*=UTF-8''caf%C3%A9.csv`, 'café.csv'],
    ['attachment; filename="a \\"b\\".txt"', 'a "b".txt'],
    ['attachment; filename=plain.prof', 'plain.prof'],
    [`attachment; filename*=UTF-8''%E0%A4%A.csv; filename="fallback.csv"`, 'fallback.csv'],
  ])('%s → %s', (header, name) => {
    expect(parseDispositionFileName(header)).toBe(name)
  })

  test.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['.bashrc', 'bashrc'],
    ['evil\x1b[2J\u202ename.csv', 'evil[2Jname.csv'],
    ['..', 'fallback'],
    ['  ', 'fallback'],
    [null, 'fallback'],
  ])('the file name %j is created as %j', (name, safe) => {
    expect(safeFileName(name, 'fallback')).toBe(safe)
  })
})

test('parseRunRef takes an id or a link, and keeps a link’s server and path prefix', () => {
  expect(parseRunRef('Ab_-9', 'open')).toEqual({ id: 'Ab_-9' })
  expect(parseRunRef('https://p.example/runs/Ab_-9/?v=2#x', 'open')).toEqual({
    id: 'Ab_-9',
    server: 'https://p.example',
  })
  expect(parseRunRef('http://h:81/profhub/runs/X', 'open')).toEqual({
    id: 'X',
    server: 'http://h:81/profhub',
  })
  for (const bad of ['a b', 'https://h/runs/', 'https://h/other/X', 'file:///runs/X']) {
    expect(() => parseRunRef(bad, 'open')).toThrow('not a run id or a run link')
  }
})

test('formatSafeText shows control and bidi characters as escapes', () => {
  expect(formatSafeText('a\x1b[31mb\x07\u202ec\nd\u0085é')).toBe(
    'a\\u001b[31mb\\u0007\\u202ec\\u000ad\\u0085é',
  )
})

test('formatTable pads by characters and cuts the last column to the width', () => {
  expect(
    formatTable(
      ['A', 'NAME'],
      [
        ['ééé', 'x'],
        ['b', 'a long name here'],
      ],
      14,
    ),
  ).toEqual(['A    NAME', 'ééé  x', 'b    a long n…'])
})

describe('browserCommand', () => {
  test('$BROWSER: the first of its commands, with %s or the URL appended', () => {
    const url = 'http://h/runs/x?a=1&b=2'
    expect(browserCommand(url, { BROWSER: 'firefox --new-tab:chromium' })).toEqual([
      'firefox',
      '--new-tab',
      url,
    ])
    expect(browserCommand(url, { BROWSER: 'w3m %s' })).toEqual(['w3m', url])
  })
})

test('the store: --data-dir, else $XDG_DATA_HOME/profhub (absolute only), else ~/.local/share', () => {
  expect(resolveDataDir('/tmp/s', { XDG_DATA_HOME: '/x' })).toBe('/tmp/s')
  expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/x' })).toBe('/x/profhub')
  expect(resolveDataDir(undefined, { XDG_DATA_HOME: 'relative' })).toMatch(
    /\/\.local\/share\/profhub$/,
  )
})

test('a per-user server ignores the settings of a shared one', () => {
  const env = serverEnvironment(
    { PATH: '/bin', AUTH_TOKEN: 't', DATABASE_URL: 'pg://', PORT: '8080', PYTHON: 'py' },
    '/store',
  )
  expect(env).toEqual({
    PATH: '/bin',
    PYTHON: 'py',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: '/store',
    LOG_LEVEL: 'warn',
  })
})

test('a run id that begins with "-" is a positional, not an option', () => {
  const id = '-AbCdEfGhIjKlMnOpQrStU'
  expect(separateDashIds(['open', id, '--no-open'].slice(1), openCommand)).toEqual([
    '--no-open',
    '--',
    id,
  ])
  expect(separateDashIds(['--format', 'csv', id, '--', 'x'], exportCommand)).toEqual([
    '--format',
    'csv',
    '--',
    id,
    'x',
  ])
  // An option's value stays where it is (parseArgs then asks for `-o=…`).
  expect(separateDashIds(['x', '-o', id], exportCommand)).toEqual(['x', '-o', id])
  expect(separateDashIds(['-abc'], exportCommand)).toEqual(['-abc'])
})

describe('describeNetworkError', () => {
  test('says why fetch refuses a port that browsers block, from the real error', async () => {
    const error = await fetch('http://127.0.0.1:6000/').catch((e: unknown) => e)
    expect(describeNetworkError(error)).toMatch(/refuses to connect to this port/)
  })
})
