import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect, test, uploadFile } from '../fixtures.ts'

const run = promisify(execFile)
const REPO = path.resolve(import.meta.dirname, '../..')
const PROGRAM = path.join(REPO, 'fixtures/programs/jsondoc.py')
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3'

interface StatRow {
  file: string
  line: number
  name: string
}

/**
 * Profiles the same program from its own folder below `root` (`<root>/<below>/app/prog.py`).
 * The program is named by its absolute path, as a test runner or an IDE does: cProfile then
 * records that path, so the two runs' keys for the program's functions differ.
 */
async function profileFrom(root: string, below: string): Promise<string> {
  const app = path.join(root, below, 'app')
  await mkdir(app, { recursive: true })
  const program = path.join(app, 'prog.py')
  await copyFile(PROGRAM, program)
  await run(PYTHON, ['-m', 'cProfile', '-o', 'out.prof', program], {
    cwd: app,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  })
  return path.join(app, 'out.prof')
}

test('the same program profiled from two folders compares with nothing added or removed', async ({
  page,
  request,
}) => {
  expect(existsSync(PYTHON), `${PYTHON} is missing: apt-get install python3`).toBe(true)
  const laptop = await mkdtemp(path.join(tmpdir(), 'profhub-laptop-'))
  const ci = await mkdtemp(path.join(tmpdir(), 'profhub-ci-'))
  try {
    const a = await uploadFile(request, await profileFrom(laptop, 'home/ann/proj'), 'laptop')
    const b = await uploadFile(request, await profileFrom(ci, 'builds/proj'), 'ci')

    // The runs do name the program by two different paths: an exact match alone would list
    // each of its functions twice.
    const programRows = async (id: string) => {
      const response = await request.get(`/api/runs/${id}/stats?filter=prog.py&sort=name`)
      expect(response.status()).toBe(200)
      return ((await response.json()) as { rows: StatRow[] }).rows
    }
    const [rowsA, rowsB] = await Promise.all([programRows(a.id), programRows(b.id)])
    expect(rowsA.length).toBeGreaterThan(3)
    expect(rowsB.map((r) => `${r.line}(${r.name})`)).toEqual(
      rowsA.map((r) => `${r.line}(${r.name})`),
    )
    expect(rowsA[0]!.file).toBe(path.join(laptop, 'home/ann/proj/app/prog.py'))
    expect(rowsB[0]!.file).toBe(path.join(ci, 'builds/proj/app/prog.py'))

    const summary = async (id: string) => {
      const response = await request.get(`/api/runs/${id}`)
      return ((await response.json()) as { summary: { functionCount: number } }).summary
    }
    const [countA, countB] = [
      (await summary(a.id)).functionCount,
      (await summary(b.id)).functionCount,
    ]
    expect(countB).toBe(countA)

    await page.goto(`/compare/${a.id}/${b.id}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('laptop → ci')
    await expect(page.getByRole('table', { name: 'Changes by function' })).toBeVisible()
    await expect(page.getByText(`${countA} matched · 0 added · 0 removed`)).toBeVisible()
    await expect(page.getByText(/by path relative to the project/)).toContainText(
      `(${rowsA.length} by path relative to the project`,
    )
  } finally {
    await Promise.all([laptop, ci].map((dir) => rm(dir, { recursive: true, force: true })))
  }
})
