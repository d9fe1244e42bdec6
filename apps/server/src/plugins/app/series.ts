import fp from 'fastify-plugin'
import { readBlobBytes } from '../../runs/blob-store.ts'
import { SeriesQueries, type FunctionRef } from '../../series/series-queries.ts'
import { unexpectedAnswer } from '../../converter/profile-workers.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The answers of /api/series (`series/series-queries.ts`). */
    series: SeriesQueries
  }
}

export default fp(
  async (fastify) => {
    const { runStore, profileWorkers } = fastify
    /** A run's callers graph is walked in a worker: its document is parsed there, not here. */
    async function ancestorsOf(runId: string, targets: FunctionRef[]) {
      const blob = await runStore.openProfileJson(runId)
      if (blob === null) return null
      const document = await readBlobBytes(blob)
      const answer = await profileWorkers.run({ kind: 'ancestors', document, targets }, [document])
      if (answer.kind !== 'ancestors') {
        throw unexpectedAnswer(answer)
      }
      return answer.ancestors
    }
    fastify.decorate('series', new SeriesQueries(runStore, ancestorsOf))
  },
  { name: 'series', dependencies: ['profile-workers', 'run-store'] },
)
