import type {
  ApiError as ApiErrorBody,
  CreatedRun,
  CreatedRuns,
  ExportFormat,
  Run,
  RunList,
  RunListQuery,
  Series,
  SeriesChanges,
  SeriesFunction,
  UpdateRun,
  UploadMode,
} from '@profhub/api'
import { decodePackedTree, type PackedTree, type StoredProfileDocument } from '@profhub/profile'
import { currentToken, requestToken } from './access-token.ts'
import type { MemoryDocument } from './memory.ts'

/**
 * Typed wrappers around profhub's HTTP API (the API contract). Every failure becomes an `ApiError`
 * whose `message` is the server's sentence for people, ready to show as is.
 */

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number
  /** The server's short reason (`Not Found`), or ours (`Network Error`). */
  readonly reason: string

  constructor(status: number, reason: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.reason = reason
  }
}

export function networkError(): ApiError {
  return new ApiError(
    0,
    'Network Error',
    'Could not reach the profhub server. Check your connection and that the server is running, then try again.',
  )
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).error === 'string' &&
    typeof (value as ApiErrorBody).message === 'string'
  )
}

/** The server's `{error, message}`, or a generic sentence when the body is something else. */
export function errorFromBody(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body.error, body.message)
  return new ApiError(
    status,
    `HTTP ${status}`,
    `The server answered with an error (HTTP ${status}).`,
  )
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

type AuthHeaders = Record<string, string>

/**
 * Sends with the saved access token, if any. When `ask` and the server answers 401, asks the
 * person for the token (one prompt for all calls refused together), saves it and sends again;
 * a refused token asks again, saying so. Cancelling gives the 401's error to the caller.
 * Reads of one run never ask (a run link needs no token); the run list, uploads and changes do.
 */
async function withToken<T>(ask: boolean, send: (headers: AuthHeaders) => Promise<T>): Promise<T> {
  for (;;) {
    const token = currentToken()
    try {
      return await send(token === null ? {} : { authorization: `Bearer ${token}` })
    } catch (error) {
      if (!ask || !(error instanceof ApiError) || error.status !== 401) throw error
      // Another call may have been given a new token while this one was on its way.
      if (currentToken() !== token) continue
      if ((await requestToken({ refused: token !== null })) === null) throw error
    }
  }
}

function request<T>(path: string, init: RequestInit = {}, ask = false): Promise<T> {
  return withToken(ask, (auth) => send<T>(path, { ...init, headers: { ...auth, ...init.headers } }))
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', ...init.headers },
    })
  } catch {
    throw networkError()
  }
  if (response.status === 204) return undefined as T
  if (response.ok) {
    // json() parses the bytes as they are (no intermediate string: 22 MB for a big profile).
    try {
      return (await response.json()) as T
    } catch (error) {
      if (error instanceof SyntaxError) throw badResponse(response.status)
      throw networkError()
    }
  }
  let text: string
  try {
    text = await response.text()
  } catch {
    throw networkError()
  }
  throw errorFromBody(response.status, parseJson(text))
}

function badResponse(status: number): ApiError {
  return new ApiError(status, 'Bad Response', 'The server sent an answer profhub cannot read.')
}

const runPath = (id: string) => `/api/runs/${encodeURIComponent(id)}`

/** `askToken`: on a 401, ask for the access token (the run list page; not a run's page). */
export function listRuns(
  query: RunListQuery & { labels?: readonly string[] } = {},
  { askToken = false }: { askToken?: boolean } = {},
): Promise<RunList> {
  const params = new URLSearchParams()
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (query.cursor !== undefined) params.set('cursor', query.cursor)
  if (query.q) params.set('q', query.q)
  if (query.sort !== undefined) params.set('sort', query.sort)
  if (query.order !== undefined) params.set('order', query.order)
  for (const label of query.labels ?? []) params.append('label', label)
  const qs = params.toString()
  return request(qs === '' ? '/api/runs' : `/api/runs?${qs}`, {}, askToken)
}

/**
 * A series (`GET /api/series`): the runs labelled `label` (`KEY=VALUE`), oldest first. The
 * series endpoints list runs as the run list does, so they ask for the token as it does.
 */
export function getSeries(label: string): Promise<Series> {
  return request(`/api/series?${new URLSearchParams({ label })}`, {}, true)
}

/** The functions whose own time changed in the series (`GET /api/series/changes`). */
export function getSeriesChanges(label: string): Promise<SeriesChanges> {
  return request(`/api/series/changes?${new URLSearchParams({ label })}`, {}, true)
}

/** One function's numbers in each run of the series (`GET /api/series/function`). */
export function getSeriesFunction(
  label: string,
  fn: { file: string; line: number; name: string },
): Promise<SeriesFunction> {
  const params = new URLSearchParams({
    label,
    file: fn.file,
    line: String(fn.line),
    name: fn.name,
  })
  return request(`/api/series/function?${params}`, {}, true)
}

export function getRun(id: string): Promise<Run> {
  return request(runPath(id))
}

export function getProfile(id: string): Promise<StoredProfileDocument> {
  return request(`${runPath(id)}/profile`)
}

/**
 * The charts' call tree of the run, as the server built it (`GET /api/runs/:id/tree`), or null
 * when it cannot be had: the page then builds the tree itself.
 */
export async function getChartTree(id: string): Promise<PackedTree | null> {
  try {
    const response = await fetch(`${runPath(id)}/tree`, {
      headers: { accept: 'application/octet-stream' },
    })
    return response.ok ? decodePackedTree(await response.arrayBuffer()) : null
  } catch {
    return null
  }
}

/** The run's memory document, or null when it has none (the server's 404). */
export async function getMemory(id: string): Promise<MemoryDocument | null> {
  try {
    return await request<MemoryDocument>(`${runPath(id)}/memory`)
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null
    throw error
  }
}

/**
 * The uploaded source of one of the run's files (`file` exactly as in the stats), or null when
 * the run has none for it. Plain text: shown as text, never parsed.
 */
export async function getSource(id: string, file: string): Promise<string | null> {
  const path = `${runPath(id)}/source?file=${encodeURIComponent(file)}`
  let response: Response
  try {
    response = await fetch(path, { headers: { accept: 'text/plain' } })
  } catch {
    throw networkError()
  }
  let text: string
  try {
    text = await response.text()
  } catch {
    throw networkError()
  }
  if (response.ok) return text
  if (response.status === 404) return null
  throw errorFromBody(response.status, parseJson(text))
}

export function renameRun(id: string, name: string): Promise<Run> {
  return request(
    runPath(id),
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    },
    true,
  )
}

/** PATCH `{name}`, `{note}` or both. */
export function updateRun(id: string, changes: UpdateRun): Promise<Run> {
  return request(
    runPath(id),
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(changes),
    },
    true,
  )
}

export function deleteRun(id: string): Promise<void> {
  return request(runPath(id), { method: 'DELETE' }, true)
}

/** Where the original `.prof` downloads from. */
export function runFileUrl(id: string): string {
  return `${runPath(id)}/file`
}

/** Where the run's `index`th uploaded file downloads from (merged runs have several). */
export function runSourceFileUrl(id: string, index: number): string {
  return `${runPath(id)}/files/${index}`
}

/** Where the run downloads from in another tool's format (`GET /api/runs/:id/export/:format`). */
export function runExportUrl(id: string, format: ExportFormat): string {
  return `${runPath(id)}/export/${format}`
}

export interface UploadProgress {
  loaded: number
  total: number
}

interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void
  signal?: AbortSignal
}

/**
 * POST /api/runs with XMLHttpRequest rather than fetch: fetch cannot report upload progress, and
 * profiles can be hundreds of megabytes. On a 401 the access token is asked for and the form
 * sent again.
 */
function postRuns(form: () => FormData, size: number, options: UploadOptions): Promise<unknown> {
  return withToken(
    true,
    (auth) =>
      new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest()
        xhr.open('POST', '/api/runs')
        xhr.setRequestHeader('accept', 'application/json')
        for (const [name, value] of Object.entries(auth)) xhr.setRequestHeader(name, value)
        xhr.upload.onprogress = (event) => {
          options.onProgress?.({
            loaded: event.loaded,
            total: event.lengthComputable ? event.total : size,
          })
        }
        xhr.onload = () => {
          const body = parseJson(xhr.responseText)
          if (xhr.status === 201 && body !== undefined) resolve(body)
          else reject(errorFromBody(xhr.status, body))
        }
        xhr.onerror = () => reject(networkError())
        xhr.onabort = () => reject(new ApiError(0, 'Aborted', 'The upload was cancelled.'))
        if (options.signal?.aborted)
          return reject(new ApiError(0, 'Aborted', 'The upload was cancelled.'))
        options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
        xhr.send(form())
      }),
  )
}

/** One file, one run. */
export async function uploadRun(
  file: File,
  options: UploadOptions & { name?: string } = {},
): Promise<CreatedRun> {
  const form = () => {
    const form = new FormData()
    // Fields before the file: a streaming multipart parser sees them before the file's bytes.
    if (options.name !== undefined) form.append('name', options.name)
    form.append('file', file, file.name)
    return form
  }
  return (await postRuns(form, file.size, options)) as CreatedRun
}

/**
 * Several files in one POST /api/runs: `merge` makes one run of them (the run comes back),
 * `separate` one run per file (`{runs}` comes back, in file order). All or nothing: a bad file
 * fails the whole request, and its message names the file.
 */
export async function uploadRuns(
  files: readonly File[],
  options: UploadOptions & { mode: UploadMode },
): Promise<CreatedRun[]> {
  const size = files.reduce((sum, file) => sum + file.size, 0)
  const form = () => {
    const form = new FormData()
    // Fields before the files: a streaming multipart parser sees them before the bytes.
    form.append('mode', options.mode)
    for (const file of files) form.append('file', file, file.name)
    return form
  }
  const body = (await postRuns(form, size, options)) as CreatedRun | CreatedRuns
  return 'runs' in body ? body.runs : [body]
}
