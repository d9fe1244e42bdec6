import { brotliDecompressSync } from 'node:zlib'
import {
  buildCallTree,
  CHART_TREE_OPTIONS,
  decodePackedTree,
  readProfileDocument,
  unpackTree,
  type CallTreeNode,
  type ProfileDocument,
} from '@profhub/profile'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { build, uploadRun } from '../../../helper.ts'

async function profileOf(app: FastifyInstance, id: string): Promise<ProfileDocument> {
  const response = await app.inject(`/api/runs/${id}/profile`)
  expect(response.statusCode).toBe(200)
  return readProfileDocument(response.json())
}

/** Every node as the charts see it, in pre-order. */
function nodes(top: CallTreeNode) {
  const out: unknown[] = []
  const visit = (node: CallTreeNode) => {
    out.push([node.func, node.value, node.exact, node.depth, node.edge, node.children.length])
    node.children.forEach(visit)
  }
  visit(top)
  return out
}

describe('GET /api/runs/:id/tree', () => {
  it.each([
    // Big; estimated times under recursion (the profile module); merged and sampled kinds.
    'realworld-unittest-py3.11.prof',
    'recursion-profile-py3.11.prof',
    'hostile_names-py2.7.prof',
    'sampled-py3.15.prof',
    'jsondoc-yappi.prof',
  ])('is the tree the page would build from %s, node for node', async (fixture) => {
    const { app } = await build()
    const { id } = await uploadRun(app, fixture)
    const response = await app.inject(`/api/runs/${id}/tree`)

    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/octet-stream')
    expect(response.headers['cache-control']).toBe('private, no-cache')
    const doc = await profileOf(app, id)
    const served = unpackTree(decodePackedTree(toArrayBuffer(response.rawPayload)), doc)
    const built = buildCallTree(doc, CHART_TREE_OPTIONS)
    expect(served.total).toBe(built.total)
    expect(served.truncated).toBe(built.truncated)
    expect(served.nodeCount).toBe(built.nodeCount)
    expect(nodes(served.top)).toEqual(nodes(built.top))
  })

  it('sends the same bytes compressed', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'realworld-unittest-py3.11.prof')
    const plain = await app.inject(`/api/runs/${id}/tree`)
    const brotli = await app.inject({
      url: `/api/runs/${id}/tree`,
      headers: { 'accept-encoding': 'gzip, br' },
    })

    expect(brotli.headers['content-encoding']).toBe('br')
    expect(brotli.headers.vary).toMatch(/accept-encoding/i)
    expect(brotliDecompressSync(brotli.rawPayload)).toEqual(plain.rawPayload)
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length)
  })

  it('is a 404 for a run that does not exist, or no longer does', async () => {
    const { app } = await build()
    const { id } = await uploadRun(app, 'recursion-py3.11.prof')
    expect((await app.inject(`/api/runs/${id}/tree`)).statusCode).toBe(200)
    expect((await app.inject({ method: 'DELETE', url: `/api/runs/${id}` })).statusCode).toBe(204)

    for (const url of [`/api/runs/${id}/tree`, '/api/runs/AAAAAAAAAAAAAAAAAAAAAA/tree']) {
      const response = await app.inject(url)
      expect(response.statusCode).toBe(404)
      expect(response.json()).toMatchObject({ error: 'Not Found' })
    }
  })
})

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}
