import type { FastifyBaseLogger } from 'fastify'
import { type ProfileWorkers, unexpectedAnswer } from '../converter/profile-workers.ts'
import { readBlobBytes } from './blob-store.ts'
import type { RunStore } from './run-store.ts'

// Runs stored before series rows existed (`series_stored` false) get them from their stored
// documents: what `plugins/app/series-backfill.ts` starts once the server is ready.

/** How many runs are asked for at a time (each is then done on its own). */
const BATCH = 50

/** Stores the series rows of every run without them, until done or `stopped()`; never throws. */
export async function backfillSeries(
  store: RunStore,
  workers: ProfileWorkers,
  log: FastifyBaseLogger,
  stopped: () => boolean,
): Promise<void> {
  // Each run is tried once: one whose document cannot be read is left for the next start.
  const tried = new Set<string>()
  try {
    for (;;) {
      const ids = (await store.listRunsWithoutSeries(tried.size + BATCH)).filter(
        (id) => !tried.has(id),
      )
      if (ids.length === 0 || stopped()) return
      for (const id of ids) {
        if (stopped()) return
        tried.add(id)
        const started = performance.now()
        try {
          const rows = await backfillRun(store, workers, id)
          if (rows !== null) {
            const ms = Math.round(performance.now() - started)
            log.info({ runId: id, rows, ms }, 'series rows stored for a run stored before them')
          }
        } catch (error) {
          // Deleted while its document was read: nothing to do.
          if ((await store.get(id)) === null) continue
          log.error({ err: error, runId: id }, 'series rows of a run could not be stored')
        }
      }
    }
  } catch (error) {
    log.error({ err: error }, 'the series backfill stopped')
  }
}

/** The number of rows stored, or null if the run is gone or has them already. */
async function backfillRun(
  store: RunStore,
  workers: ProfileWorkers,
  id: string,
): Promise<number | null> {
  const blob = await store.openProfileJson(id)
  if (blob === null) {
    if ((await store.get(id)) === null) return null
    throw new Error('its document is missing')
  }
  const document = await readBlobBytes(blob)
  const answer = await workers.run({ kind: 'series', document }, [document])
  if (answer.kind !== 'series') {
    throw unexpectedAnswer(answer)
  }
  return (await store.storeSeries(id, answer.series)) ? answer.series.keys.length : null
}
