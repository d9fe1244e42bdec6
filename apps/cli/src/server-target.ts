import { ProfhubClient, parseServerUrl } from './client.ts'
import { resolveDataDir } from './data-dir.ts'
import { isAlive, readViewState } from './store-server.ts'

export const DEFAULT_SERVER = 'http://localhost:8080'

export interface ServerOptions {
  server?: string
  token?: string
}

/** `--server`, else `$PROFHUB_URL`: the server the person named, if they did. */
export function namedServer(options: ServerOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.server !== undefined) return parseServerUrl(options.server, '--server')
  if (env.PROFHUB_URL) return parseServerUrl(env.PROFHUB_URL, 'PROFHUB_URL')
  return undefined
}

export function tokenOf(options: ServerOptions, env: NodeJS.ProcessEnv): string | undefined {
  return options.token || env.PROFHUB_TOKEN || undefined
}

/**
 * The server a command talks to: the one named, else the default address if a profhub
 * answers there, else the per-user server a running `profhub view` serves, else the default
 * (whose requests then fail with "cannot reach", exit code 3).
 */
export async function connect(
  options: ServerOptions,
  env: NodeJS.ProcessEnv,
): Promise<ProfhubClient> {
  const token = tokenOf(options, env)
  const named = namedServer(options, env)
  if (named !== undefined) return new ProfhubClient(named, token)
  const fallback = new ProfhubClient(DEFAULT_SERVER, token)
  if ((await fallback.checkHealth()).state === 'ok') return fallback
  const state = await readViewState(resolveDataDir(undefined, env))
  if (state?.url && state.serverPid !== null && isAlive(state.serverPid)) {
    const local = new ProfhubClient(state.url, token)
    if ((await local.checkHealth()).state === 'ok') return local
  }
  return fallback
}
