import { readFileSync } from 'node:fs'
import { fixturePath } from '@profhub/fixtures'
import { describe, expect, it } from 'vitest'
import { build, listDataFiles } from '../../../helper.ts'
import {
  environmentDocument,
  FIXTURE,
  memoryDocument,
  type Parts,
  partsForm,
  sourceBundle,
  tracemallocPickle,
} from './run-parts-helpers.ts'

// A bad part refuses the whole upload before the profile is converted: a 4xx naming the part
// and what is wrong, no run listed, no file left under DATA_DIR.

const memory = memoryDocument()
const line = memory.lines[0]!
const withLine = (change: object) => ({ ...memory, lines: [{ ...line, ...change }] })
const NUL = '\u0000'
const RLO = '\u202e'
const longName = `/home/me/${'n'.repeat(5000)}.py`

const BAD_PARTS: [string, Parts, number, RegExp][] = [
  [
    'memory that is not JSON',
    { memory: 'peak: 12 MB' },
    400,
    /^The memory part is not JSON: profhub.py run --memory writes it\.$/,
  ],
  ['memory that is not UTF-8', { memory: new Uint8Array([0x7b, 0xff, 0xfe]) }, 400, /not UTF-8/],
  ['memory of the wrong type', { memory: [1, 2] }, 400, /memory part is not valid: the document/],
  [
    'a count as a string',
    { memory: { ...memory, peakBytes: '28311552' } },
    400,
    /The memory part is not valid: "peakBytes" must be integer\./,
  ],
  ['a negative size', { memory: withLine({ size: -1 }) }, 400, /"lines\[0\]\.size" must be >= 0/],
  [
    'a fractional count',
    { memory: withLine({ count: 1.5 }) },
    400,
    /"lines\[0\]\.count" must be integer/,
  ],
  [
    'a missing field',
    { memory: { ...memory, lines: undefined } },
    400,
    /the document lacks "lines"/,
  ],
  ['a traceback limit of 0', { memory: { ...memory, tracebackLimit: 0 } }, 400, /"tracebackLimit"/],
  ['another tool', { memory: { ...memory, tool: 'memray' } }, 400, /"tool" must be "tracemalloc"/],
  [
    'too many lines',
    { memory: { ...memory, lines: Array.from({ length: 10_001 }, () => line) } },
    400,
    /"lines" must not have more than 10000 items/,
  ],
  [
    'a traceback of 101 frames',
    {
      memory: {
        ...memory,
        tracebacks: [{ size: 1, count: 1, frames: Array.from({ length: 101 }, () => line) }],
      },
    },
    400,
    /"tracebacks\[0\]\.frames" must not have more than 100 items/,
  ],
  [
    'a 5,000-character file name',
    { memory: withLine({ file: longName }) },
    400,
    /"lines\[0\]\.file" must not have more than 4096 characters/,
  ],
  ['a NUL in a path', { memory: withLine({ file: `a${NUL}.py` }) }, 400, /NUL character/],
  [
    'a right-to-left override in a path',
    { memory: withLine({ file: `/app/${RLO}yp.exe` }) },
    400,
    /"lines\[0\]\.file" contains a NUL character or a bidirectional override/,
  ],
  [
    'a newer formatVersion',
    { memory: { ...memory, formatVersion: 2 } },
    400,
    /formatVersion 2, newer than this server reads/,
  ],
  [
    'memory over 4 MB',
    { memory: `{"pad": "${'x'.repeat(4 * 1024 * 1024)}"}` },
    413,
    /^The memory part is larger than its 4 MB limit\.$/,
  ],
  ['source that is not JSON', { source: 'def f(): pass' }, 400, /^The source part is not JSON/],
  [
    'a source file over 512 KB',
    { source: { formatVersion: 1, files: [{ path: '/a.py', text: 'x'.repeat(512 * 1024 + 1) }] } },
    413,
    /file "\/a.py" is larger than the 512 KB limit/,
  ],
  [
    'source over 2 MB',
    {
      source: {
        formatVersion: 1,
        files: [0, 1, 2, 3, 4].map((i) => ({ path: `/${i}.py`, text: 'x'.repeat(500_000) })),
      },
    },
    413,
    /^The source part is larger than its 2 MB limit\.$/,
  ],
  [
    'the same source file twice',
    { source: { formatVersion: 1, files: [sourceBundle().files[0], sourceBundle().files[0]] } },
    400,
    /has the file "\/home\/me\/app\/rules.py" twice/,
  ],
  [
    '201 source files',
    {
      source: {
        formatVersion: 1,
        files: Array.from({ length: 201 }, (_, i) => ({ path: `/${i}.py`, text: '' })),
      },
    },
    400,
    /"files" must not have more than 200 items/,
  ],
  [
    'a NUL in source text',
    { source: { formatVersion: 1, files: [{ path: '/a.py', text: `x = 1${NUL}` }] } },
    400,
    /"files\[0\]\.text" contains a NUL character/,
  ],
  [
    'a right-to-left override in a source path',
    { source: { formatVersion: 1, files: [{ path: `/${RLO}a.py`, text: '' }] } },
    400,
    /bidirectional override/,
  ],
  [
    'a 5,000-character source path',
    { source: { formatVersion: 1, files: [{ path: longName, text: '' }] } },
    400,
    /"files\[0\]\.path" must not have more than 4096/,
  ],
  [
    'a command of 257 items',
    { environment: { ...environmentDocument(), command: Array.from({ length: 257 }, () => 'a') } },
    400,
    /The environment part is not valid: "command" must not have more than 256 items/,
  ],
  [
    'a git commit that is not one',
    { environment: { ...environmentDocument(), git: { commit: 'HEAD', dirty: false } } },
    400,
    /"git\.commit" must be a git commit id in hexadecimal/,
  ],
  [
    'a Python version as a number',
    { environment: { formatVersion: 1, python: { version: 3.12 } } },
    400,
    /"python\.version"/,
  ],
  ['an environment without formatVersion', { environment: {} }, 400, /lacks "formatVersion"/],
  [
    'an environment over 64 KB',
    { environment: { formatVersion: 1, cwd: '/'.repeat(70_000) } },
    413,
    /^The environment part is larger than its 64 KB limit\.$/,
  ],
]

describe('bad memory, source and environment parts', () => {
  it.each(BAD_PARTS)('refuses %s, storing nothing', async (_case, parts, status, message) => {
    const { app, dataDir } = await build()
    for (const asFields of [false, true]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/runs',
        payload: partsForm(parts, { asFields }),
      })

      expect(response.statusCode, response.body).toBe(status)
      expect(response.json()).toEqual({
        error: status === 413 ? 'Payload Too Large' : 'Bad Request',
        message: expect.stringMatching(message),
      })
    }
    expect((await app.inject('/api/runs')).json().runs).toEqual([])
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it('refuses a real tracemalloc snapshot (a pickle), saying what to send', async () => {
    const { app, dataDir } = await build()
    const pickle = await tracemallocPickle()
    expect(pickle[0]).toBe(0x80)

    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: partsForm({ memory: pickle }),
    })

    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(
      /^The memory part is not JSON \(it looks like a pickle, such as tracemalloc.Snapshot.dump writes; profhub never loads pickles\): profhub.py run --memory writes it\.$/,
    )
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it('refuses a 50 MB memory file part without keeping it', async () => {
    const { app, dataDir } = await build()
    const huge = new Uint8Array(50 * 1024 * 1024).fill(0x20)

    const response = await app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: partsForm({ memory: huge }),
    })

    expect(response.statusCode).toBe(413)
    expect(response.json().message).toMatch(/memory part is larger than its 4 MB limit/)
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it('refuses a part sent twice, and parts with several separate files', async () => {
    const { app, dataDir } = await build()
    const twice = partsForm({ environment: environmentDocument() })
    twice.append('environment', JSON.stringify(environmentDocument()))
    const separate = partsForm(
      { memory: memoryDocument() },
      { files: ['recursion-py3.11.prof', 'shapes-py3.11.prof'] },
    )

    const responses = [
      await app.inject({ method: 'POST', url: '/api/runs', payload: twice }),
      await app.inject({ method: 'POST', url: '/api/runs', payload: separate }),
    ]

    expect(responses.map((r) => r.statusCode)).toEqual([400, 400])
    expect(responses[0]!.json().message).toBe('The environment part is sent twice: send it once.')
    expect(responses[1]!.json().message).toMatch(/describe one run: .* mode=merge/)
    expect((await app.inject('/api/runs')).json().runs).toEqual([])
    expect(await listDataFiles(dataDir)).toEqual([])
  })

  it('reads a field sent as application/json (curl -F "environment=…;type=application/json")', async () => {
    const { app, dataDir } = await build()
    const post = (json: string) => {
      const boundary = 'profhub-boundary'
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="environment"\r\n` +
            `Content-Type: application/json\r\n\r\n${json}\r\n` +
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${FIXTURE}"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        readFileSync(fixturePath(FIXTURE)),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      return app.inject({
        method: 'POST',
        url: '/api/runs',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      })
    }

    const big = await post(JSON.stringify({ formatVersion: 1, cwd: '/'.repeat(70_000) }))
    const broken = await post('{"formatVersion": 1,')
    expect([big.statusCode, broken.statusCode]).toEqual([413, 400])
    expect(big.json().message).toMatch(/environment part is larger than its 64 KB limit/)
    expect(broken.json().message).toMatch(/application\/json is not JSON/)
    expect(await listDataFiles(dataDir)).toEqual([])

    const good = await post(JSON.stringify(environmentDocument()))
    expect(good.statusCode, good.body).toBe(201)
    expect(good.json().environment).toEqual(environmentDocument())
  })
})
