import type { Readable } from 'node:stream'
import { TextDecoder } from 'node:util'
import {
  ENVIRONMENT_PART_MAX_BYTES,
  MEMORY_PART_MAX_BYTES,
  type MemoryDocument,
  MemoryDocumentSchema,
  type RunEnvironment,
  RunEnvironmentSchema,
  SOURCE_FILE_MAX_BYTES,
  SOURCE_PART_MAX_BYTES,
  type SourceBundle,
  SourceBundleSchema,
} from '@profhub/api'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'
import { ApiError, quoteForMessage as quote } from '../errors.ts'

// The optional multipart parts `memory`, `source` and `environment` (packages/api
// run-extras.ts): read with a byte cap, parsed with JSON.parse (never unpickled), checked
// against their schemas, and re-serialized without the keys we do not know. Anything wrong is
// a 4xx naming the part, before the profile is converted.

export type ExtraPartName = 'memory' | 'source' | 'environment'

/** What an upload carries besides its files; null for a part not sent. */
export interface RunExtras {
  memory: MemoryDocument | null
  source: SourceBundle | null
  environment: RunEnvironment | null
}

export function emptyExtras(): RunExtras {
  return { memory: null, source: null, environment: null }
}

export function hasExtras(extras: RunExtras): boolean {
  return extras.memory !== null || extras.source !== null || extras.environment !== null
}

interface PartRules {
  maxBytes: number
  check: ReturnType<typeof Compile<TSchema>>
  schema: TSchema
  /** What writes it, for the messages. */
  writer: string
}

const PARTS: Record<ExtraPartName, PartRules> = {
  memory: {
    maxBytes: MEMORY_PART_MAX_BYTES,
    check: Compile(MemoryDocumentSchema),
    schema: MemoryDocumentSchema,
    writer: 'profhub.py run --memory writes it',
  },
  source: {
    maxBytes: SOURCE_PART_MAX_BYTES,
    check: Compile(SourceBundleSchema),
    schema: SourceBundleSchema,
    writer: 'profhub.py run writes it, unless --no-source',
  },
  environment: {
    maxBytes: ENVIRONMENT_PART_MAX_BYTES,
    check: Compile(RunEnvironmentSchema),
    schema: RunEnvironmentSchema,
    writer: 'profhub.py run writes it',
  },
}

/** The largest part: what a plain (non-file) multipart field may hold. */
export const MAX_EXTRA_PART_BYTES = Math.max(...Object.values(PARTS).map((part) => part.maxBytes))

export function isExtraPart(fieldName: string): fieldName is ExtraPartName {
  return Object.hasOwn(PARTS, fieldName)
}

export function maxBytesOf(name: ExtraPartName): number {
  return PARTS[name].maxBytes
}

/**
 * A file part's bytes, or null when it is over `maxBytes`: past the cap the rest is read and
 * dropped (so that the answer is a 413 rather than a reset connection), never kept.
 */
export async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length
    if (total <= maxBytes) chunks.push(chunk)
    else chunks.length = 0
  }
  // busboy's own per-file limit (MAX_UPLOAD_MB) ends the stream quietly: only this flag tells.
  if (total > maxBytes || (stream as Readable & { truncated?: boolean }).truncated) return null
  return Buffer.concat(chunks, total)
}

export function partTooLarge(name: ExtraPartName): ApiError {
  return new ApiError(
    413,
    `The ${name} part is larger than its ${formatBytes(PARTS[name].maxBytes)} limit.`,
    'Payload Too Large',
  )
}

/**
 * Parses and checks one part: its bytes (a file part), its text (a plain field) or a value
 * @fastify/multipart already parsed (a field sent as application/json).
 */
export function parseExtraPart(
  name: ExtraPartName,
  sent: Buffer | string | unknown,
): RunExtras[ExtraPartName] {
  const rules = PARTS[name]
  let value: unknown = sent
  if (Buffer.isBuffer(sent) || typeof sent === 'string') {
    const bytes = Buffer.isBuffer(sent) ? sent : Buffer.from(sent, 'utf8')
    if (bytes.length > rules.maxBytes) throw partTooLarge(name)
    value = parseJson(name, bytes)
  } else if (Buffer.byteLength(JSON.stringify(sent) ?? '', 'utf8') > rules.maxBytes) {
    // Parsed for us, so its size as sent is unknown: its JSON text stands in for it.
    throw partTooLarge(name)
  }
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion
  if (typeof version === 'number' && version > 1) {
    throw new ApiError(
      400,
      `The ${name} part has formatVersion ${version}, newer than this server reads (1): upgrade the server, or use the profhub.py it serves (GET /profhub.py).`,
    )
  }
  if (!rules.check.Check(value)) {
    throw new ApiError(400, `The ${name} part is not valid: ${describeProblem(rules, value)}`)
  }
  const cleaned = Value.Clean(rules.schema, value) as Record<string, unknown>
  if (name === 'environment') delete cleaned.guessed
  if (name === 'source') checkSourceFiles(cleaned as SourceBundle)
  return cleaned as RunExtras[ExtraPartName]
}

function parseJson(name: ExtraPartName, bytes: Buffer): unknown {
  const notJson = (why: string) =>
    new ApiError(400, `The ${name} part is not JSON${why}: ${PARTS[name].writer}.`)
  // Protocol 2 and later pickles start with 0x80 (PROTO): what tracemalloc.Snapshot.dump writes.
  if (bytes[0] === 0x80) {
    throw notJson(
      ' (it looks like a pickle, such as tracemalloc.Snapshot.dump writes; profhub never loads pickles)',
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw notJson(' (it is not UTF-8 text)')
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw notJson('')
  }
}

/** One sentence for the first problem, with the place as `lines[3].size`. */
function describeProblem(rules: PartRules, value: unknown): string {
  const first = rules.check.Errors(value)[0]
  if (first === undefined) return 'it does not have the expected shape.'
  const place = formatPlace(first.instancePath)
  const subject = place === '' ? 'the document' : `"${place}"`
  if (first.keyword === 'pattern') {
    const pattern = String((first.params as { pattern?: string }).pattern ?? '')
    if (pattern.includes('202A')) {
      return `${subject} contains a NUL character or a bidirectional override (U+202A to U+202E, U+2066 to U+2069), which no path may hold.`
    }
    if (pattern.includes('0-9a-f')) return `${subject} must be a git commit id in hexadecimal.`
    return `${subject} contains a NUL character.`
  }
  if (first.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties
    return `${subject} lacks ${missing?.map((key) => `"${key}"`).join(', ') ?? 'a field'}.`
  }
  if (first.keyword === 'const') {
    const allowed = (first.params as { allowedValue?: unknown }).allowedValue
    return `${subject} must be ${JSON.stringify(allowed)}.`
  }
  return `${subject} ${first.message}.`
}

function formatPlace(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce(
      (place, key) => (/^\d+$/.test(key) ? `${place}[${key}]` : place ? `${place}.${key}` : key),
      '',
    )
}

/** What a schema cannot say: each file's size and each path once. */
function checkSourceFiles(bundle: SourceBundle): void {
  const seen = new Set<string>()
  for (const file of bundle.files) {
    if (Buffer.byteLength(file.text, 'utf8') > SOURCE_FILE_MAX_BYTES) {
      throw new ApiError(
        413,
        `The source part's file ${quote(file.path)} is larger than the ${formatBytes(SOURCE_FILE_MAX_BYTES)} limit for one file.`,
        'Payload Too Large',
      )
    }
    if (seen.has(file.path)) {
      throw new ApiError(
        400,
        `The source part has the file ${quote(file.path)} twice: send each path once.`,
      )
    }
    seen.add(file.path)
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`
}
