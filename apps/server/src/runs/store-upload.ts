import { rm } from 'node:fs/promises'
import type { FastifyBaseLogger } from 'fastify'
import type { CreatedRun, Run } from '@profhub/api'
import type { ConvertedProfile, ShimInput } from '../converter/converted-profile.ts'
import { ApiError, isApiError, quoteFileName } from '../errors.ts'
import {
  MAX_NAME_LENGTH,
  type ReceivedFile,
  type ReceivedUpload,
  truncate,
} from './receive-upload.ts'
import { diskFullError, isDiskFull } from './disk-full.ts'
import { emptyExtras, hasExtras, type RunExtras } from './run-parts.ts'
import type { RunStore } from './run-store.ts'

/** What storing an upload needs: the converter and the store (decorators, in the app). */
export interface UploadServices {
  convertProfile(filePath: string): Promise<ConvertedProfile>
  convertMergedProfiles(files: readonly ShimInput[]): Promise<ConvertedProfile>
  runStore: RunStore
}

/**
 * What an upload becomes:
 * - one file (whatever `mode`): one run, answered as the run itself (the API contract);
 * - several files, `mode=separate`: one run per file, answered as `{runs}` in upload order;
 * - several files, `mode=merge`: one run merged as `pstats.Stats(a).add(b, …)` (sourceFormat
 *   `merged`), named "<first file> + N more" unless `name` says otherwise.
 * Every file is converted before anything is stored: a bad one is a 400 naming it, and no run
 * is created. The upload's labels go with every run it makes; its memory, source and
 * environment parts describe one run, so they are refused with several separate files. Takes
 * ownership of the upload's temp files (moved into the store, or removed).
 */
export async function storeUpload(
  services: UploadServices,
  upload: ReceivedUpload,
  log: FastifyBaseLogger,
): Promise<CreatedRun | { runs: CreatedRun[] }> {
  // The converted documents not (yet) moved into the store.
  const outputs: string[] = []
  try {
    const { files, labels, extras } = upload
    const [first] = files
    if (first === undefined) throw new Error('an upload has at least one file')
    if (files.length === 1) {
      const converted = await services.convertProfile(first.path)
      outputs.push(converted.jsonPath)
      const name = upload.name ?? defaultName(first)
      return await createRun(services, log, { name, files, converted, labels, extras })
    }
    if (upload.mode === 'merge') {
      const converted = await services.convertMergedProfiles(files)
      outputs.push(converted.jsonPath)
      const name = upload.name ?? mergedName(files)
      return await createRun(services, log, { name, files, converted, labels, extras })
    }
    if (upload.name !== null) {
      throw new ApiError(
        400,
        'A name is for one run: leave the "name" field out when uploading several files as separate runs, or send mode=merge to make one run of them.',
      )
    }
    if (hasExtras(extras)) {
      throw new ApiError(
        400,
        'The memory, source and environment parts describe one run: send them with one file, or with mode=merge to make one run of several files.',
      )
    }
    return { runs: await createSeparateRuns(services, log, upload, outputs) }
  } catch (error) {
    // Moving the files into the store and writing the row may find the disk full too.
    throw isDiskFull(error) ? diskFullError(error) : error
  } finally {
    // Moved into the store on success; leftovers on failure.
    await Promise.all(
      [...upload.files.map((file) => file.path), ...outputs].map((file) =>
        rm(file, { force: true }),
      ),
    )
  }
}

async function createSeparateRuns(
  services: UploadServices,
  log: FastifyBaseLogger,
  { files, labels }: ReceivedUpload,
  outputs: string[],
): Promise<CreatedRun[]> {
  // The converter runs at most two shims at once; the rest wait their turn.
  const results = await Promise.allSettled(files.map((file) => services.convertProfile(file.path)))
  for (const result of results)
    if (result.status === 'fulfilled') outputs.push(result.value.jsonPath)
  const converted: ConvertedProfile[] = []
  for (const [index, result] of results.entries()) {
    if (result.status === 'fulfilled') {
      converted.push(result.value)
      continue
    }
    const error: unknown = result.reason
    if (!isApiError(error) || error.statusCode >= 500) throw error
    // The first bad file in upload order, named: the message alone would not say which.
    throw new ApiError(
      error.statusCode,
      `${quoteFileName(files[index]!.fileName)}: ${error.message}`,
      error.title,
      { cause: error },
    )
  }
  const created: CreatedRun[] = []
  try {
    for (const [index, file] of files.entries()) {
      const parts = {
        name: defaultName(file),
        files: [file],
        converted: converted[index]!,
        labels,
        extras: emptyExtras(),
      }
      created.push(await createRun(services, log, parts))
    }
  } catch (error) {
    // All or nothing: a store failure part way (a full disk) takes back the runs made so far.
    await Promise.all(created.map((run) => services.runStore.delete(run.id)))
    throw error
  }
  return created
}

/** What one run is made of. */
interface RunParts {
  name: string
  files: ReceivedFile[]
  converted: ConvertedProfile
  labels: Record<string, string>
  extras: RunExtras
}

async function createRun(
  services: UploadServices,
  log: FastifyBaseLogger,
  { name, files, converted, labels, extras }: RunParts,
): Promise<CreatedRun> {
  const run: Run = await services.runStore.create({
    name,
    files: files.map((file) => ({ path: file.path, fileName: file.fileName, fileSize: file.size })),
    profile: converted.meta,
    profilePath: converted.jsonPath,
    series: converted.series,
    labels,
    extras,
  })
  log.info(
    {
      runId: run.id,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
      functions: run.summary.functionCount,
      memory: run.hasMemory,
      sourceFiles: run.sourceFiles.length,
    },
    'run stored',
  )
  return { ...run, url: `/runs/${run.id}` }
}

function defaultName(file: ReceivedFile): string {
  return truncate(file.fileName, MAX_NAME_LENGTH) || 'Untitled profile'
}

/** "<first file> + N more", the first file's name cut so that the whole fits a name. */
export function mergedName(files: readonly { fileName: string }[]): string {
  const suffix = ` + ${files.length - 1} more`
  const first = truncate(files[0]?.fileName ?? '', MAX_NAME_LENGTH - suffix.length).trim()
  return `${first || 'Untitled profile'}${suffix}`
}
