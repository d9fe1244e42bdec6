/**
 * `pnpm bench --anchors`: profhub beside the viewers it is measured against, in one run of one
 * browser, so that a note can carry ratios rather than numbers from different days:
 * - snakeviz, from a checkout of its repository (`--snakeviz DIR`; it needs tornado:
 *   `apt-get install python3-tornado`), serving the profiles itself;
 * - speedscope, from npm (this package's dev dependency), reading each profile converted to
 *   callgrind (it cannot read a .prof);
 * - a calibration: a static page and a page that runs a fixed 2·10⁷-step `Math.sqrt` loop.
 * The profiles are made by anchors/make_profile.py (a layered random call DAG, ~3 callers per
 * function, recursion cycles) and cached. Each target's "ready" is navigation start → the frame
 * after its first view is on screen: profhub's chart has drawn pixels and its Table tab can be
 * clicked (lib/first-view.ts); snakeviz's icicle has rectangles and its stats table a row;
 * speedscope's three canvases exist. Targets run interleaved (run 1 of each, then run 2…), so a
 * noisy stretch hits all of them. Chromium cannot resolve any host but the loopback one, so
 * snakeviz's CDN lookups fail at once and it uses its local copies.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.ts'
import { measureFirstView, measureReady } from './first-view.ts'
import { timedUpload } from './ingest.ts'
import { formatQuietness, MachineWatch, tooBusy } from './machine.ts'
import { PYTHON } from './profiles.ts'
import { startServer } from './server.ts'
import { median, printTable, spread } from './stats.ts'

const HERE = join(import.meta.dirname, '..', 'anchors')
const CACHE = join(tmpdir(), 'profhub-anchor-profiles')
const SPEEDSCOPE_SITE = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  'speedscope',
  'dist',
  'release',
)
/** The tests' flags, and nothing but the loopback resolves. */
export const ANCHOR_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
]

export interface AnchorOptions {
  sizes: number[]
  times: number
  port: number
  /** A checkout of snakeviz's repository; null leaves snakeviz out (said in the output). */
  snakeviz: string | null
  log: (text: string) => void
}

/** Prints the tables; resolves with the exit code (3: the machine was busy, as `pnpm bench`). */

/** The anchor profile of `n` functions (made once, then cached). */
function anchorProfile(n: number): string {
  const out = join(CACHE, 'profiles', `synthetic_${n}.prof`)
  if (!existsSync(out)) {
    execFileSync(
      PYTHON,
      [
        join(HERE, 'make_profile.py'),
        String(n),
        ...['--out', join(CACHE, 'profiles'), '--app-dir', join(CACHE, 'app')],
        ...['--python', PYTHON],
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
  }
  return out
}

/** The profile as callgrind text, for speedscope (made once, then cached). */
function callgrindOf(prof: string, n: number): string {
  const dir = join(CACHE, 'callgrind')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, `synthetic_${n}.callgrind`)
  if (!existsSync(out)) execFileSync(PYTHON, [join(HERE, 'prof_to_callgrind.py'), prof, out])
  return out
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * A loopback server for the static targets: `/static` and `/cpu` (the calibration pages), the
 * speedscope site, and the callgrind files under `/profiles/`.
 */
async function startStatic(profilesDir: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname === '/static' || url.pathname === '/cpu') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(calibrationPage(url.pathname === '/cpu'))
      return
    }
    const [root, rest] = url.pathname.startsWith('/profiles/')
      ? [profilesDir, url.pathname.slice('/profiles/'.length)]
      : [SPEEDSCOPE_SITE, url.pathname.slice(1) || 'index.html']
    const file = normalize(join(root, decodeURIComponent(rest)))
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'text/plain' })
    response.end(readFileSync(file))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { origin: `http://127.0.0.1:${address.port}`, server }
}

function calibrationPage(cpu: boolean): string {
  const loop = cpu
    ? `const t0 = performance.now(); let x = 0;
       for (let i = 1; i < 2e7; i++) x += Math.sqrt(i) % 7;
       window.calibrationCpuMs = performance.now() - t0; window.calibrationSink = x;`
    : ''
  return `<!doctype html><html><head><meta charset="utf-8"><title>calibration</title></head>
<body><script>${loop}
document.body.insertAdjacentHTML('beforeend', '<h1 id="ready">ready</h1>')</script></body></html>`
}

/** Starts snakeviz's own server (its checkout's code) on the profiles' folder. */
async function startSnakeviz(checkout: string, port: number, profilesDir: string) {
  const child: ChildProcess = spawn(
    PYTHON,
    ['-m', 'snakeviz', '--server', '-H', '127.0.0.1', '-p', String(port), profilesDir],
    {
      cwd: checkout,
      env: { ...process.env, PYTHONPATH: resolve(checkout) },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const origin = `http://127.0.0.1:${port}`
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`snakeviz did not start:\n${stderr}`)
    try {
      await fetch(origin)
      break
    } catch {
      if (waited > 30_000) throw new Error(`snakeviz did not answer in 30 s:\n${stderr}`)
      await new Promise((done) => setTimeout(done, 100))
    }
  }
  return {
    url: (prof: string) => `${origin}/snakeviz/${encodeURIComponent(prof)}`,
    stop: () => {
      child.kill()
      return new Promise((done) => child.once('exit', done))
    },
  }
}

interface Target {
  viewer: string
  functions: number
  run: (browser: Browser) => Promise<number>
}

export async function runAnchors(options: AnchorOptions): Promise<number> {
  const { sizes, times, log } = options
  log('making the anchor profiles…')
  const watch = new MachineWatch()
  const profiles = new Map(sizes.map((n) => [n, anchorProfile(n)]))
  for (const [n, prof] of profiles) callgrindOf(prof, n)
  const statics = await startStatic(join(CACHE, 'callgrind'))
  const profhub = await startServer(options.port)
  const snakeviz = options.snakeviz
    ? await startSnakeviz(options.snakeviz, options.port + 1, join(CACHE, 'profiles'))
    : null
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ANCHOR_CHROMIUM_ARGS,
  })
  try {
    const targets: Target[] = [
      {
        viewer: 'calibration: static page',
        functions: 0,
        run: (b) =>
          measureReady(b, `${statics.origin}/static`, "!!document.getElementById('ready')"),
      },
      {
        viewer: 'calibration: 2e7 sqrt loop',
        functions: 0,
        run: (b) => measureReady(b, `${statics.origin}/cpu`, "!!document.getElementById('ready')"),
      },
    ]
    for (const [n, prof] of profiles) {
      const { url } = await timedUpload(profhub.origin, prof)
      targets.push({
        viewer: 'profhub',
        functions: n,
        run: async (b) =>
          (await measureFirstView(b, profhub.origin, url, { click: false })).firstView,
      })
      if (snakeviz) {
        targets.push({
          viewer: 'snakeviz',
          functions: n,
          run: (b) =>
            measureReady(
              b,
              snakeviz.url(prof),
              "!!document.querySelector('#chart svg rect') && !!document.querySelector('#pstats-table tbody tr')",
            ),
        })
      }
      const profileUrl = `${statics.origin}/profiles/synthetic_${n}.callgrind`
      targets.push({
        viewer: 'speedscope',
        functions: n,
        run: (b) =>
          measureReady(
            b,
            `${statics.origin}/index.html#profileURL=${encodeURIComponent(profileUrl)}&title=synthetic_${n}`,
            "document.querySelectorAll('canvas').length >= 3",
          ),
      })
    }
    const results = new Map<Target, number[]>(targets.map((t) => [t, []]))
    for (let round = 1; round <= times; round++) {
      log(`anchors: round ${round} of ${times}…`)
      for (const target of targets) results.get(target)!.push(await target.run(browser))
    }
    // Before the viewers stop: their processes are counted as the benchmark's while they live.
    const quietness = watch.done()
    const timesOf = (viewer: string, n: number) =>
      [...results].find(([t]) => t.viewer === viewer && t.functions === n)?.[1] ?? null
    const [staticPage, cpuPage] = targets.slice(0, 2).map((t) => results.get(t)!)
    console.log(
      `\nCalibration (to ready): static page ${spread(staticPage!)}, a 2e7-step sqrt loop page ${spread(cpuPage!)}`,
    )
    console.log(
      `\nFirst view, navigation → the frame that shows it (fresh context, 1280×800, interleaved; median (min–max) of ${times})\n`,
    )
    const ratio = (them: number[] | null, us: number[]) =>
      them ? `${(median(them) / median(us)).toFixed(1)}×` : '–'
    printTable(
      [
        'functions',
        'profhub',
        'snakeviz',
        'speedscope',
        'snakeviz ÷ profhub',
        'speedscope ÷ profhub',
      ],
      sizes.map((n) => {
        const ours = timesOf('profhub', n)!
        const snake = timesOf('snakeviz', n)
        const speed = timesOf('speedscope', n)
        return [
          n.toLocaleString('en-US'),
          spread(ours),
          snake ? spread(snake) : 'not run',
          speed ? spread(speed) : 'not run',
          ratio(snake, ours),
          ratio(speed, ours),
        ]
      }),
    )
    if (!snakeviz) {
      console.log(
        '\nsnakeviz was not run: give --snakeviz DIR (a checkout of its repository) with tornado installed (apt-get install python3-tornado).',
      )
    }
    console.log(`\n${formatQuietness(quietness)}`)
    const busy = tooBusy(quietness)
    if (busy === null) return 0
    console.log(`The machine was busy: ${busy}. The ratios above measure that other work too.`)
    return 3
  } finally {
    await browser.close()
    await snakeviz?.stop()
    await profhub.stop()
    statics.server.close()
  }
}
