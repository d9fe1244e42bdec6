import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLIENT, getJson, runCommand, runIdOf, startServer, tempDir } from './client-helper.ts'

// Debian's IPython (python3-ipython) for /usr/bin/python3; IPYTHON_PYTHON names another
// interpreter that has IPython. scripts/ensure-ipython.sh installs it.
const PYTHON = process.env.IPYTHON_PYTHON ?? '/usr/bin/python3'

/** An IPython session run from a file: the magics as a person would type them. */
const SESSION = `
%load_ext profhub
%profhub -n sum(range(1000))
def in_cell(n):
    return sorted(range(n), key=lambda i: -i)
get_ipython().run_cell_magic('profhub', '--no-open --name "a cell" --label kind=cell', 'x = in_cell(500)\\nprint("cell ran", len(x))\\n')
print("x is still here:", len(x))
`

async function expectIPython(): Promise<void> {
  const probe = await runCommand(PYTHON, ['-c', 'import IPython'])
  if (probe.code !== 0) {
    throw new Error(
      `IPython is missing for ${PYTHON}: run scripts/ensure-ipython.sh (as root it installs Debian's python3-ipython), or set IPYTHON_PYTHON to a Python that has IPython.`,
    )
  }
}

async function statNames(server: string, id: string, filter: string): Promise<string[]> {
  const stats = (await getJson(`${server}/api/runs/${id}/stats?filter=${filter}`)) as {
    rows: { name: string }[]
  }
  return stats.rows.map((row) => row.name)
}

describe('%profhub and %%profhub in IPython', () => {
  it('profile the statement or cell in the user namespace, upload it and print the link', async () => {
    await expectIPython()
    const server = await startServer()
    const dir = await tempDir()
    const session = path.join(dir, 'session.ipy')
    await writeFile(session, SESSION)

    const result = await runCommand(
      PYTHON,
      ['-m', 'IPython', '--no-banner', '--quick', '--colors=NoColor', session],
      {
        cwd: dir,
        env: { PYTHONPATH: path.dirname(CLIENT), PROFHUB_URL: server, IPYTHONDIR: dir },
      },
    )

    expect(result.code, result.stderr).toBe(0)
    // A terminal IPython may write its title escape first: find the lines by their content.
    const lines = result.stdout.split('\n')
    const links = lines.flatMap((line) => /http:\/\/\S+\/runs\/[\w-]+/.exec(line) ?? [])
    expect(links).toHaveLength(2)
    expect(lines).toContain('cell ran 500')
    expect(lines).toContain('x is still here: 500')

    const statement = runIdOf(server, links[0]!)
    expect(await statNames(server, statement, 'sum')).toContain('<built-in method builtins.sum>')
    const cell = runIdOf(server, links[1]!)
    expect(await getJson(`${server}/api/runs/${cell}`)).toMatchObject({
      name: 'a cell',
      labels: { kind: 'cell' },
    })
    expect(await statNames(server, cell, 'in_cell')).toEqual(['in_cell'])
    expect(await statNames(server, cell, 'lambda')).toEqual(['<lambda>'])
  })
})
