import { existsSync } from 'node:fs'
import path from 'node:path'
import fp from 'fastify-plugin'
import {
  type HostRules,
  parseAllowedHosts,
  parseTokens,
  parseUploadRateLimit,
} from '../../access/access-config.ts'
import type { FastifyPluginOptions } from 'fastify'
import type { ProfileWorkers } from '../../converter/profile-workers.ts'
import { parseFrameAncestors } from '../../security-policy.ts'

/**
 * Where this package lives (`apps/server`, or `server/` inside the packed `profhub` command):
 * the shim, the Python client and the web build are found from here. This module runs from
 * `src/plugins/app/` under tsx and Vitest, and bundled into `dist/` once compiled: the root is
 * the nearest folder up that holds the shim.
 */
export const serverRoot = findServerRoot(import.meta.dirname)

function findServerRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'shim', 'pstats_to_json.py'))) return dir
    if (path.dirname(dir) === dir) throw new Error(`profhub's shim/ folder is not above ${start}`)
  }
}

/** What the app plugin is registered with (app.ts). */
export interface AppOptions extends FastifyPluginOptions {
  config: AppConfig
  /** Worker threads to share with other app instances (tests); the app starts its own if not. */
  profileWorkers?: ProfileWorkers
}

/** Where blobs go when `S3_ENDPOINT` and `S3_BUCKET` are set (credentials: the AWS variables). */
export interface ObjectStorageConfig {
  endpoint: string
  bucket: string
  /** `S3_REGION`, else `AWS_REGION`, else us-east-1. */
  region: string
  /** `S3_FORCE_PATH_STYLE` (default true): `endpoint/bucket/key` rather than `bucket.endpoint`. */
  forcePathStyle: boolean
  /**
   * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) as read with the
   * rest of the configuration; null: the AWS SDK finds credentials its own way (a profile, an
   * instance role).
   */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | null
}

export interface AppConfig {
  port: number
  host: string
  logLevel: string
  /** `pretty` (one line per event, for a terminal; the default) or `json` (for collectors). */
  logFormat: 'pretty' | 'json'
  /** Absolute: the SQLite file, run blobs and upload temp files live here. */
  dataDir: string
  /** `DATA_DIR/tmp`: uploads are received here, on the same file system as the run files. */
  uploadDir: string
  maxUploadMb: number
  maxUploadBytes: number
  /** `apps/server` (see above): `shim/`, `client/` live here, the web build beside it. */
  serverRoot: string
  /** The Python interpreter that runs the shim. */
  python: string
  shimPath: string
  /** The budget of the stats tables cache (`PROFILE_CACHE_MB`, default 200); answers kept as sent take up to a quarter more. */
  profileCacheBytes: number
  /** The built web app (`apps/web/dist`): static files and the SPA's index.html. */
  webDist: string
  /** `FRAME_ANCESTORS`: origins allowed to show the pages in a frame (CSP); [] = none. */
  frameAncestors: string[]
  /** Bearer tokens (`AUTH_TOKEN`, `AUTH_TOKEN_FILE`); empty: no token is asked for. */
  authTokens: string[]
  /** Host names answered (`HOST`, `ALLOWED_HOSTS`). */
  allowedHosts: HostRules
  /** Uploads per client and minute (`UPLOAD_RATE_LIMIT`, default 60); 0: no limit. */
  uploadRateLimit: number
  /** `/api/health` answers 503 while DATA_DIR has less free space (`MIN_FREE_MB`, default 64). */
  minFreeBytes: number
  /** An upload with more functions is refused with 413 (`MAX_FUNCTIONS`, default 500,000). */
  maxFunctions: number
  /** An upload with more call edges is refused with 413 (`MAX_EDGES`, default 2,500,000). */
  maxEdges: number
  /** A conversion that takes longer is stopped, and the upload refused with 413 (`CONVERT_TIMEOUT_S`, default 120). */
  convertTimeoutMs: number
  /**
   * `DATABASE_URL` (postgres://…): runs live in PostgreSQL (and their blobs too, unless
   * `objectStorage` is set). Null: the embedded SQLite + files store under DATA_DIR.
   */
  databaseUrl: string | null
  /** Null: blobs are stored beside the run metadata (files, or PostgreSQL). */
  objectStorage: ObjectStorageConfig | null
}

type Env = Record<string, string | undefined>

/**
 * Reads the environment (once, in app.ts or server.ts). Relative paths are resolved against
 * the directory the user ran `pnpm start` in: pnpm runs the server with cwd `apps/server`
 * (`pnpm --filter`) but sets INIT_CWD to where the command was typed, so the default
 * `./data` lands in the repository root.
 */
export function parseConfig(env: Env = process.env): AppConfig {
  const baseDir = env.INIT_CWD || process.cwd()
  const maxUploadMb = parsePositiveNumber(env, 'MAX_UPLOAD_MB', 200)
  const dataDir = path.resolve(baseDir, env.DATA_DIR || './data')
  return {
    port: parsePort(env.PORT),
    host: env.HOST || '127.0.0.1',
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: parseLogFormat(env.LOG_FORMAT),
    dataDir,
    uploadDir: path.join(dataDir, 'tmp'),
    maxUploadMb,
    maxUploadBytes: Math.floor(maxUploadMb * 1024 * 1024),
    serverRoot,
    python: env.PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'),
    shimPath: path.join(serverRoot, 'shim', 'pstats_to_json.py'),
    profileCacheBytes: Math.floor(parsePositiveNumber(env, 'PROFILE_CACHE_MB', 200) * 1024 * 1024),
    webDist: env.WEB_DIST
      ? path.resolve(baseDir, env.WEB_DIST)
      : path.join(serverRoot, '..', 'web', 'dist'),
    frameAncestors: parseFrameAncestors(env.FRAME_ANCESTORS),
    authTokens: parseTokens(env, baseDir),
    allowedHosts: parseAllowedHosts(env),
    uploadRateLimit: parseUploadRateLimit(env),
    minFreeBytes: Math.floor(parsePositiveNumber(env, 'MIN_FREE_MB', 64) * 1024 * 1024),
    maxFunctions: parseCount(env, 'MAX_FUNCTIONS', 500_000),
    maxEdges: parseCount(env, 'MAX_EDGES', 2_500_000),
    convertTimeoutMs: Math.ceil(parsePositiveNumber(env, 'CONVERT_TIMEOUT_S', 120) * 1000),
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    objectStorage: parseObjectStorage(env),
  }
}

function parseDatabaseUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new Error('DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/db)')
  }
  return value
}

function parseObjectStorage(env: Env): ObjectStorageConfig | null {
  const endpoint = env.S3_ENDPOINT || ''
  const bucket = env.S3_BUCKET || ''
  if (endpoint === '' && bucket === '') return null
  if (endpoint === '' || bucket === '') {
    throw new Error('Object storage needs both S3_ENDPOINT and S3_BUCKET')
  }
  if (!env.DATABASE_URL) {
    throw new Error(
      'Object storage (S3_ENDPOINT) holds blobs for a PostgreSQL store: set DATABASE_URL too',
    )
  }
  const forcePathStyle = env.S3_FORCE_PATH_STYLE || 'true'
  if (forcePathStyle !== 'true' && forcePathStyle !== 'false') {
    throw new Error(`S3_FORCE_PATH_STYLE must be "true" or "false", got "${forcePathStyle}"`)
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID || ''
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || ''
  if ((accessKeyId === '') !== (secretAccessKey === '')) {
    throw new Error('Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither')
  }
  const sessionToken = env.AWS_SESSION_TOKEN || undefined
  return {
    endpoint,
    bucket,
    region: env.S3_REGION || env.AWS_REGION || 'us-east-1',
    forcePathStyle: forcePathStyle === 'true',
    credentials:
      accessKeyId === ''
        ? null
        : { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) },
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0-65535), got "${value}"`)
  }
  return port
}

function parseLogFormat(value: string | undefined): 'pretty' | 'json' {
  if (value === undefined || value === '' || value === 'pretty') return 'pretty'
  if (value === 'json') return 'json'
  throw new Error(`LOG_FORMAT must be "pretty" or "json", got "${value}"`)
}

function parsePositiveNumber(env: Env, name: string, fallback: number): number {
  const value = env[name]
  if (value === undefined || value === '') return fallback
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`${name} must be a positive number, got "${value}"`)
  }
  return number
}

function parseCount(env: Env, name: string, fallback: number): number {
  const value = env[name]
  if (value === undefined || value === '') return fallback
  const number = Number(value)
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw new Error(`${name} must be a whole number above 0, got "${value}"`)
  }
  return number
}

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig
  }
}

export default fp<AppOptions>(
  async (fastify, { config }) => {
    fastify.decorate('config', config)
  },
  { name: 'config' },
)
