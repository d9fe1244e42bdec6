import { CliError, EXIT, usageError } from './errors.ts'
import { formatSafeText } from './text.ts'

/** `summary` as the server reports it: what pstats says of the file. */
export interface RunSummary {
  totalTime: number
  totalCalls: number
  primitiveCalls: number
  functionCount: number
}

/** A run as the API returns it; other fields are kept as they come (`list --json`). */
export interface Run {
  id: string
  name: string
  createdAt: string
  summary: RunSummary
  [field: string]: unknown
}

export type Health =
  | { state: 'ok' }
  /** A profhub server answered, but says it cannot work (no Python, store down). */
  | { state: 'unhealthy'; message: string }
  /** Nothing answered, or something that is not profhub. */
  | { state: 'unreachable'; message: string }

/** `http(s)://host[:port][/prefix]` without a trailing slash; anything else is a usage error. */
export function parseServerUrl(text: string, origin: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw usageError(`${origin} is not a URL: ${formatSafeText(text)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${origin} must be an http:// or https:// URL: ${formatSafeText(text)}`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** The profhub HTTP API at one address, with the token (if any) on every request. */
export class ProfhubClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /** The shareable page of a run. */
  runLink(id: string): string {
    return `${this.baseUrl}/runs/${encodeURIComponent(id)}`
  }

  /** `GET /api/health`, given `timeoutMs` to answer. Never throws. */
  async checkHealth(timeoutMs = 3000): Promise<Health> {
    let response: Response
    try {
      response = await fetch(`${this.baseUrl}/api/health`, {
        headers: this.#headers(),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      return { state: 'unreachable', message: describeNetworkError(error) }
    }
    const body = await readErrorBody(response)
    if (response.ok && body?.status === 'ok') return { state: 'ok' }
    if (typeof body?.message === 'string') {
      return { state: 'unhealthy', message: formatSafeText(body.message) }
    }
    return {
      state: 'unreachable',
      message: `it answered ${response.status} ${response.statusText}, not as profhub does`,
    }
  }

  /**
   * One API request. A network failure is a CliError with exit code 3, an error answer one
   * with the server's message (1, or 4 for 401/403); only a 2xx response is returned.
   */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: { ...this.#headers(), ...(init.headers as Record<string, string> | undefined) },
      })
    } catch (error) {
      throw unreachableError(this.baseUrl, describeNetworkError(error))
    }
    if (!response.ok) throw await this.#errorFrom(response)
    return response
  }

  async getJson(path: string): Promise<unknown> {
    const response = await this.request(path, { headers: { accept: 'application/json' } })
    try {
      return await response.json()
    } catch {
      throw unreachableError(this.baseUrl, 'its answer is not JSON, not as profhub does')
    }
  }

  async getRun(id: string): Promise<Run> {
    return parseRun(await this.getJson(`/api/runs/${encodeURIComponent(id)}`), this.baseUrl)
  }

  /** The newest `limit` runs, following `nextCursor` past the server's page size. */
  async listRuns(limit: number): Promise<Run[]> {
    const runs: Run[] = []
    let cursor: string | null = null
    do {
      const query = new URLSearchParams({ limit: String(Math.min(limit - runs.length, 500)) })
      if (cursor !== null) query.set('cursor', cursor)
      const page = (await this.getJson(`/api/runs?${query}`)) as {
        runs?: unknown
        nextCursor?: unknown
      }
      if (!Array.isArray(page?.runs)) throw notProfhub(this.baseUrl)
      runs.push(...page.runs.map((run) => parseRun(run, this.baseUrl)))
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : null
    } while (cursor !== null && runs.length < limit)
    return runs.slice(0, limit)
  }

  #headers(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {}
  }

  async #errorFrom(response: Response): Promise<CliError> {
    const body = await readErrorBody(response)
    const message = typeof body?.message === 'string' ? formatSafeText(body.message) : null
    if (response.status === 401 || response.status === 403) {
      const hint = this.token
        ? 'the token was refused'
        : 'it wants a token: pass --token or set PROFHUB_TOKEN'
      return new CliError(
        `${this.baseUrl} answered ${response.status}: ${message ?? hint}`,
        EXIT.unauthorized,
      )
    }
    // An error without profhub's {error, message} body comes from something else: a proxy
    // whose backend is down, or another program on that port.
    if (message === null) {
      return unreachableError(
        this.baseUrl,
        `it answered ${response.status} ${response.statusText}, not as profhub does`,
      )
    }
    return new CliError(message, EXIT.failure)
  }
}

export function parseRun(value: unknown, baseUrl: string): Run {
  const run = value as Partial<Run> | null
  if (
    typeof run !== 'object' ||
    run === null ||
    typeof run.id !== 'string' ||
    typeof run.name !== 'string' ||
    typeof run.createdAt !== 'string' ||
    typeof run.summary?.totalTime !== 'number'
  ) {
    throw notProfhub(baseUrl)
  }
  return run as Run
}

export function unreachableError(baseUrl: string, reason: string): CliError {
  return new CliError(
    `cannot reach a profhub server at ${baseUrl}: ${reason} (set --server or PROFHUB_URL)`,
    EXIT.unreachable,
  )
}

function notProfhub(baseUrl: string): CliError {
  return unreachableError(baseUrl, 'its answer is not what profhub sends')
}

async function readErrorBody(
  response: Response,
): Promise<{ status?: unknown; message?: unknown } | null> {
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) {
    await response.body?.cancel()
    return null
  }
  try {
    return (await response.json()) as { status?: unknown; message?: unknown }
  } catch {
    return null
  }
}

/** fetch's "fetch failed" says nothing: the cause's code does. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no answer in time'
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause
  const code = typeof cause?.code === 'string' ? cause.code : ''
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    EAI_AGAIN: 'the host name could not be looked up',
    ETIMEDOUT: 'the connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
    ECONNRESET: 'the connection was reset',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    UND_ERR_SOCKET: 'the connection was closed',
  }
  if (known[code]) return known[code]
  // fetch refuses the ports browsers block (6000, 6667…), before any connection is tried.
  if (cause?.message === 'bad port') {
    return 'Node.js refuses to connect to this port (one that browsers block too): serve profhub on another port'
  }
  if (typeof cause?.message === 'string') return formatSafeText(cause.message)
  return error instanceof Error ? formatSafeText(error.message) : String(error)
}
