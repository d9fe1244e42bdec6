/**
 * Pathological uploads are refused by the converter, a child process, before the work that
 * grows with them: the server's own memory does not grow with them, and what it used while
 * receiving them (upload buffers) is given back. Measured as the compiled server's resident
 * memory (Linux /proc), after a warm-up that loaded a real profile into its caches.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { craftedProfile, fixturePath } from '@profhub/fixtures'
import { describe, expect, it, onTestFinished } from 'vitest'
import { useCompiledServers } from './compiled-server.ts'

const startServer = useCompiledServers()

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024
}

async function post(url: string, file: string): Promise<Response> {
  const form = new FormData()
  form.append('file', new Blob([readFileSync(file)]), path.basename(file))
  return fetch(`${url}/api/runs`, { method: 'POST', body: form })
}

describe('memory after refused uploads', () => {
  it('returns to its baseline', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'profhub-memory-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    const bomb = craftedProfile('shared', 2000, path.join(dir, 'bomb.prof')) // 4 M edges
    const bigger = craftedProfile('shared', 3000, path.join(dir, 'bomb3.prof')) // 9 M edges
    const longName = craftedProfile('name', 30_000_000, path.join(dir, 'name.prof')) // 30 MB
    const server = await startServer({ UPLOAD_RATE_LIMIT: '0' })
    const pid = server.child.pid!

    // Warm-up: a real profile uploaded, its stats and document served (caches, workers).
    const created = await post(server.url, fixturePath('large-20k.prof'))
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${server.url}/api/runs/${id}/stats?limit=100`)).status).toBe(200)
      expect((await fetch(`${server.url}/api/runs/${id}/profile`)).status).toBe(200)
    }
    const baseline = residentMb(pid)

    for (const file of [bomb, bigger, longName, bomb, longName]) {
      const response = await post(server.url, file)
      expect(response.status).toBe(413)
      expect(((await response.json()) as { error: string }).error).toBe('Payload Too Large')
    }
    // Back to where it was, give or take the allocator's slack.
    await expect.poll(() => residentMb(pid), { timeout: 60_000 }).toBeLessThan(baseline + 40)
    // …and still serving.
    expect((await fetch(`${server.url}/api/runs/${id}/stats?limit=5`)).status).toBe(200)
  })
})
