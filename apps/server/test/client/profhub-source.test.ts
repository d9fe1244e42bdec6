import { mkdir, realpath, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  findPython,
  getJson,
  lastLine,
  runClient,
  runCommand,
  runIdOf,
  startServer,
  tempDir,
} from './client-helper.ts'

interface RunAnswer {
  sourceFiles: string[]
  hasMemory: boolean
  environment: Record<string, unknown>
}

// A hostile file name: quotes, markup, a non-ASCII letter.
const WEIRD = 'we"ird <b>ä.py'
const WEIRD_TEXT = "def weird():\n    return '<script>alert(1)</script>'\n"
/** Over the 512 KB a file may have: skipped, and said. */
const BIG_SIZE = 600 * 1024

/**
 * A program in `dir` that calls code from everywhere: its own files (main.py, pkg/helper.py, a
 * hostile name), a site-packages folder and a virtualenv under `dir`, a folder outside it,
 * the standard library (json), and a file too big to send.
 */
async function writeProject(dir: string, outside: string) {
  const files: Record<string, string> = {
    'main.py': [
      'import importlib.util, json, os, sys',
      "sys.path[1:1] = [os.path.abspath('lib/site-packages'), os.path.abspath('.venv/lib'),",
      `                 ${JSON.stringify(outside)}]`,
      'import big, vendored, venvmod, outsider',
      'from pkg import helper',
      `spec = importlib.util.spec_from_file_location('weird', ${JSON.stringify(WEIRD)})`,
      'weird = importlib.util.module_from_spec(spec)',
      'spec.loader.exec_module(weird)',
      'print(helper.twice(2), vendored.f(), venvmod.f(), outsider.f(), big.f(), weird.weird(),',
      '      json.dumps([1]), sys.argv[1:])',
      '',
    ].join('\n'),
    'pkg/__init__.py': '',
    'pkg/helper.py': '# ünïcode ✓\r\ndef twice(n):\r\n    return 2 * n\r\n',
    [WEIRD]: WEIRD_TEXT,
    'big.py': `def f():\n    return 1\n# ${'x'.repeat(BIG_SIZE)}\n`,
    'lib/site-packages/vendored.py': 'def f():\n    return "vendored"\n',
    '.venv/pyvenv.cfg': 'home = /usr/bin\n',
    '.venv/lib/venvmod.py': 'def f():\n    return "venv"\n',
  }
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), text)
  }
  await writeFile(path.join(outside, 'outsider.py'), 'def f():\n    return "outside"\n')
}

/** What that Python's platform module says, as the environment part should. */
async function platformOf(python: string) {
  const script = [
    'import json, platform',
    'print(json.dumps({"python": {"version": platform.python_version(),',
    '  "implementation": platform.python_implementation()},',
    '  "platform": {"system": platform.system(), "release": platform.release(),',
    '  "machine": platform.machine(), "node": platform.node()}}))',
  ].join('\n')
  const result = await runCommand(python, ['-c', script])
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as object
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await runCommand('git', args, { cwd })
  if (result.code !== 0) {
    throw new Error(
      `git ${args.join(' ')} failed (is git installed? apt-get install git): ${result.stderr}`,
    )
  }
  return result.stdout.trim()
}

describe.each(['3.8', '3.13'])(
  'profhub.py run under Python %s: source and environment',
  (version) => {
    it("sends the source of the program's own files only, and what the run ran on", async () => {
      const python = findPython(version)
      const server = await startServer()
      const dir = await realpath(await tempDir())
      const outside = await tempDir()
      await writeProject(dir, outside)

      const result = await runClient(python, ['run', '--no-open', 'main.py', 'arg 1', '--x'], {
        cwd: dir,
        env: { PROFHUB_URL: server },
      })

      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(
        "4 vendored venv outside 1 <script>alert(1)</script> [1] ['arg 1', '--x']",
      )
      // The one file left out for its size is named, with why.
      expect(result.stderr).toBe(
        `profhub: source not sent for 1 file(s), over the limits: ${path.join(dir, 'big.py')} (over 512 KB)\n`,
      )
      const id = runIdOf(server, lastLine(result.stdout))
      const run = (await getJson(`${server}/api/runs/${id}`)) as RunAnswer
      const stats = (await getJson(`${server}/api/runs/${id}/stats?limit=1000`)) as {
        rows: { file: string }[]
      }
      const statFiles = new Set(stats.rows.map((row) => row.file))
      // Paths exactly as cProfile recorded them: the script as given, imports by sys.path, the
      // loaded file as importlib made it (absolute from Python 3.13 on).
      const helper = path.join(dir, 'pkg', 'helper.py')
      const weird = [...statFiles].find((file) => file.endsWith(WEIRD))!
      expect([WEIRD, path.join(dir, WEIRD)]).toContain(weird)
      expect([...run.sourceFiles].sort()).toEqual(
        [helper, path.join(dir, 'pkg', '__init__.py'), 'main.py', weird].sort(),
      )
      const source = (file: string) =>
        fetch(`${server}/api/runs/${id}/source?file=${encodeURIComponent(file)}`)
      // Read as Python reads source: line breaks as \n, so that line numbers match.
      expect(await (await source(helper)).text()).toBe(
        '# ünïcode ✓\ndef twice(n):\n    return 2 * n\n',
      )
      expect(await (await source(weird)).text()).toBe(WEIRD_TEXT)
      for (const file of [
        path.join(dir, 'lib', 'site-packages', 'vendored.py'),
        path.join(dir, '.venv', 'lib', 'venvmod.py'),
        path.join(outside, 'outsider.py'),
        path.join(dir, 'big.py'),
      ]) {
        expect(statFiles).toContain(file)
        expect((await source(file)).status, file).toBe(404)
      }
      // Nothing of the standard library either.
      expect(
        run.sourceFiles.filter((file) => file.endsWith(`${path.sep}json${path.sep}__init__.py`)),
      ).toEqual([])

      expect(run.hasMemory).toBe(false)
      expect(run.environment).toEqual({
        formatVersion: 1,
        ...(await platformOf(python)),
        profiler: { name: 'cProfile', clock: 'perf_counter' },
        command: ['main.py', 'arg 1', '--x'],
        cwd: dir,
        // A temp folder is in no git work tree.
        git: null,
        memory: false,
      })
    })
  },
)

describe('profhub.py run', () => {
  const python = findPython('3.8')

  it('sends no source with --no-source, and no arguments with --hide-args', async () => {
    const server = await startServer()
    const dir = await realpath(await tempDir())
    await writeProject(dir, await tempDir())

    const result = await runClient(
      python,
      ['run', '--no-open', '--no-source', '--hide-args', 'main.py', 'token=s3cret'],
      {
        cwd: dir,
        env: { PROFHUB_URL: server },
      },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const id = runIdOf(server, lastLine(result.stdout))
    const run = (await getJson(`${server}/api/runs/${id}`)) as RunAnswer
    expect(run.sourceFiles).toEqual([])
    expect(result.stdout).toContain("['token=s3cret']")
    expect(run.environment).toMatchObject({ command: ['main.py'], cwd: dir })
    expect(JSON.stringify(run)).not.toContain('s3cret')
    const answer = await fetch(`${server}/api/runs/${id}/source?file=main.py`)
    expect(answer.status).toBe(404)
    expect(((await answer.json()) as { message: string }).message).toContain('--no-source')
  })

  it('records the git commit, branch and whether the tree was dirty', async () => {
    const server = await startServer()
    const dir = await realpath(await tempDir())
    const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com']
    await git(dir, 'init', '-q', '-b', 'exp/cache-5000')
    await writeFile(path.join(dir, 'prog.py'), 'def f():\n    return 1\n\nf()\n')
    await git(dir, 'add', 'prog.py')
    await git(dir, ...identity, 'commit', '-q', '-m', 'first')
    const commit = await git(dir, 'rev-parse', 'HEAD')

    const clean = await runClient(python, ['run', '--no-open', 'prog.py'], {
      cwd: dir,
      env: { PROFHUB_URL: server },
    })
    expect(clean.code, clean.stderr).toBe(0)
    // An untracked file does not make the tree dirty; a changed tracked one does.
    await writeFile(path.join(dir, 'notes.txt'), 'untracked\n')
    const untracked = await runClient(python, ['run', '--no-open', 'prog.py'], {
      cwd: dir,
      env: { PROFHUB_URL: server },
    })
    await writeFile(path.join(dir, 'prog.py'), 'def f():\n    return 2\n\nf()\n')
    const dirty = await runClient(python, ['run', '--no-open', 'prog.py'], {
      cwd: dir,
      env: { PROFHUB_URL: server },
    })

    const gitOf = async (stdout: string) => {
      const run = (await getJson(
        `${server}/api/runs/${runIdOf(server, lastLine(stdout))}`,
      )) as RunAnswer
      return run.environment.git
    }
    const branch = 'exp/cache-5000'
    expect(await gitOf(clean.stdout)).toEqual({ commit, branch, dirty: false })
    expect(await gitOf(untracked.stdout)).toEqual({ commit, branch, dirty: false })
    expect(await gitOf(dirty.stdout)).toEqual({ commit, branch, dirty: true })
  })

  it('uploads the run without a part the server refuses, and says so', async () => {
    const server = await startServer()
    // A folder name with a right-to-left override: the server takes no path that holds one.
    const dir = path.join(await realpath(await tempDir()), 'app\u202Egnp.py')
    await mkdir(dir)
    await writeFile(path.join(dir, 'prog.py'), 'def f():\n    return 1\n\nf()\n')

    const result = await runClient(python, ['run', '--no-open', 'prog.py'], {
      cwd: dir,
      env: { PROFHUB_URL: server },
    })

    expect(result.code, result.stderr).toBe(0)
    // The environment names the folder: only that part is left out.
    expect(result.stderr).toMatch(
      /^profhub: the server did not take the environment part, so the run goes without: The environment part is not valid: "cwd" contains .*bidirectional override.*\n$/,
    )
    const id = runIdOf(server, lastLine(result.stdout))
    const run = (await getJson(`${server}/api/runs/${id}`)) as RunAnswer
    expect(run.sourceFiles).toEqual(['prog.py'])
    expect(run.environment).toMatchObject({ guessed: true })
  })
})
