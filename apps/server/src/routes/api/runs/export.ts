import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { EXPORT_FORMATS, ExportParamsSchema, isExportFormat, type ExportFormat } from '@profhub/api'
import type { Run } from '@profhub/api'
import { ApiError, runNotFound } from '../../../errors.ts'
import { formatAttachmentDisposition } from '../../../runs/content-disposition.ts'
import { isRunId } from '../../../runs/run-id.ts'
import { readBlobBytes } from '../../../runs/blob-store.ts'
import { unexpectedAnswer } from '../../../converter/profile-workers.ts'

/** The reply, with the export's type, download name and length set. */
type Attach = (size: number) => FastifyReply

const CONTENT_TYPES: Record<ExportFormat, string> = {
  prof: 'application/octet-stream',
  pstats: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  callgrind: 'text/plain; charset=utf-8',
  speedscope: 'application/json; charset=utf-8',
}

/**
 * `GET /api/runs/:id/export/:format`: the run's stats for other tools. `prof` and `pstats` are
 * written by the Python shim from the stored original file(s) (pstats itself prints the
 * report); `csv`, `callgrind` and `speedscope` by `@profhub/profile` from the stored document,
 * in a worker thread (a 100k-function profile takes seconds of CPU). An unknown format is a
 * 404, like any other unknown path under /api/.
 */
export const exportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { runStore: store, config } = fastify

  fastify.get(
    '/:id/export/:format',
    // The enum documents the formats; an unknown one is answered below as a 404, not a 400.
    {
      schema: {
        tags: ['exports'],
        summary:
          'The run as a pstats file (prof), pstats text, CSV, callgrind or speedscope (an attachment)',
        params: ExportParamsSchema,
      },
      attachValidation: true,
    },
    async (request, reply) => {
      const { id, format } = request.params
      if (!isRunId(id)) throw runNotFound()
      if (request.validationError || !isExportFormat(format)) throw exportNotFound()
      const run = await store.get(id)
      if (run === null) throw runNotFound()
      // Set once the export is made: an error is JSON to read, not a file to save.
      const attach = (size: number) =>
        reply
          .type(CONTENT_TYPES[format])
          .header(
            'content-disposition',
            formatAttachmentDisposition(exportFileName(run.name, format)),
          )
          .header('content-length', size)
      if (format === 'prof' || format === 'pstats') return sendShimExport(run, format, attach)
      return sendWorkerExport(run, format, attach)
    },
  )

  /** The shim reads the run's original files (copied out of the store) and writes the export. */
  async function sendShimExport(run: Run, format: 'prof' | 'pstats', attach: Attach) {
    await mkdir(config.uploadDir, { recursive: true })
    const dir = await mkdtemp(path.join(config.uploadDir, 'export-'))
    try {
      const inputs: string[] = []
      for (let index = 0; index < run.source.files.length; index++) {
        const blob = await store.openOriginal(run.id, index)
        if (blob === null) throw runNotFound() // deleted meanwhile
        const input = path.join(dir, `${index}.prof`)
        await pipeline(blob.stream, createWriteStream(input))
        inputs.push(input)
      }
      const output = path.join(dir, `export.${format}`)
      await fastify.exportStats(inputs, format, output)
      // The open handle keeps the file readable after its directory is removed below.
      const handle = await open(output, 'r')
      const { size } = await handle.stat()
      return attach(size).send(handle.createReadStream())
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  async function sendWorkerExport(
    run: Run,
    format: 'csv' | 'callgrind' | 'speedscope',
    attach: Attach,
  ) {
    const blob = await store.openProfileJson(run.id)
    if (blob === null) throw runNotFound()
    // The bytes go to the worker as they are (transferred, not copied): the event loop never
    // parses the document nor builds the text.
    const document = await readBlobBytes(blob)
    const answer = await fastify.profileWorkers.run(
      { kind: 'export', format, document, name: run.name },
      [document],
    )
    if (answer.kind !== 'exported') {
      throw unexpectedAnswer(answer)
    }
    return attach(answer.bytes.byteLength).send(Buffer.from(answer.bytes))
  }
}

/** `<run name>.csv` and so on; a name ending in `.prof` (the default: the file's) loses it. */
export function exportFileName(runName: string, format: ExportFormat): string {
  const base = runName.replace(/\.prof$/i, '').trim() || 'profile'
  switch (format) {
    case 'prof':
      return `${base}.prof`
    case 'pstats':
      return `${base}.txt`
    case 'csv':
      return `${base}.csv`
    case 'callgrind':
      // KCachegrind's file dialog and speedscope both recognise callgrind files by this prefix.
      return `callgrind.out.${base}`
    case 'speedscope':
      return `${base}.speedscope.json`
  }
}

function exportNotFound(): ApiError {
  return new ApiError(
    404,
    `There is no such export. The exports are ${EXPORT_FORMATS.join(', ')}: /api/runs/<id>/export/<format>.`,
  )
}
