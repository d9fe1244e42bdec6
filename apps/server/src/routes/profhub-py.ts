import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FastifyPluginAsync } from 'fastify'

// GET /profhub.py: the standard-library-only Python client (`client/profhub.py`), so that a
// machine that can reach the server can fetch it with `curl -O <server>/profhub.py`. app.ts
// registers this plugin without a prefix.
const profhubPyRoute: FastifyPluginAsync = async (fastify) => {
  const clientPath = path.join(fastify.config.serverRoot, 'client', 'profhub.py')

  const schema = {
    tags: ['server'],
    summary:
      'The Python client: python profhub.py run script.py, python profhub.py upload out.prof',
  }
  fastify.get('/profhub.py', { schema }, async (_request, reply) => {
    // Read on each request (30 KB, rarely asked for): an updated client is served at once.
    const source = await readFile(clientPath)
    return (
      reply
        .type('text/x-python; charset=utf-8')
        // A browser saves it rather than showing it; curl -O names it from the URL anyway.
        .header('content-disposition', 'attachment; filename="profhub.py"')
        .header('cache-control', 'no-cache')
        .send(source)
    )
  })
}

export default profhubPyRoute
