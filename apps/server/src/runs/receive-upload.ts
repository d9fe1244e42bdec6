import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { MAX_FILES_PER_UPLOAD, type UploadMode } from '@profhub/api'
import { ApiError, isApiError } from '../errors.ts'
import { diskFullError, isDiskFull } from './disk-full.ts'
import { LabelSet, labelTooLong } from './labels.ts'
import {
  emptyExtras,
  type ExtraPartName,
  isExtraPart,
  maxBytesOf,
  parseExtraPart,
  partTooLarge,
  readCapped,
  type RunExtras,
} from './run-parts.ts'

export interface ReceivedFile {
  /** The bytes, in the upload directory; the caller moves or removes the file. */
  path: string
  /** The client's file name (untrusted text, never used as a path). */
  fileName: string
  size: number
}

export interface ReceivedUpload {
  /** Every `file` part, in the order sent (at least one). */
  files: ReceivedFile[]
  /** The `name` field, trimmed; null if absent or blank. */
  name: string | null
  /** The `mode` field: what to make of several files (default `separate`). */
  mode: UploadMode
  /** The `label` fields (`KEY=VALUE`, repeated), for every run the upload makes. */
  labels: Record<string, string>
  /** The optional parts 'memory', 'source' and 'environment', checked (run-parts.ts). */
  extras: RunExtras
}

export const MAX_NAME_LENGTH = 200
const MAX_FILE_NAME_LENGTH = 255
/** What a `name` or `label` field may hold (other fields may be bigger: the JSON parts). */
const MAX_TEXT_FIELD_BYTES = 4096

/**
 * Streams each multipart `file` part to a temp file (never into memory) and collects the
 * optional `name`, `mode` and `label` fields and the `memory`, `source` and `environment` parts
 * (file parts or plain fields, each read up to its byte cap and checked), which may come before
 * or after the files. MAX_UPLOAD_MB bounds the files together. Leaves no file behind when it
 * throws.
 */
export async function receiveUpload(
  request: FastifyRequest,
  uploadDir: string,
  maxUploadMb: number,
): Promise<ReceivedUpload> {
  const maxBytes = Math.floor(maxUploadMb * 1024 * 1024)
  const files: ReceivedFile[] = []
  const tempPaths: string[] = []
  let name: string | null = null
  let mode: UploadMode = 'separate'
  const labels = new LabelSet()
  const extras = emptyExtras()
  const setExtra = (name: ExtraPartName, sent: unknown) => {
    if (extras[name] !== null) {
      throw new ApiError(400, `The ${name} part is sent twice: send it once.`)
    }
    ;(extras as Record<ExtraPartName, unknown>)[name] = parseExtraPart(name, sent)
  }
  let total = 0
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && isExtraPart(part.fieldname)) {
        const bytes = await readCapped(part.file, maxBytesOf(part.fieldname))
        if (bytes === null) throw partTooLarge(part.fieldname)
        setExtra(part.fieldname, bytes)
      } else if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume()
          continue
        }
        // The parser's own limit counts the JSON parts too (multipart.ts): this one, files.
        if (files.length === MAX_FILES_PER_UPLOAD) throw tooManyFiles()
        const tempPath = path.join(uploadDir, `${randomBytes(12).toString('hex')}.upload`)
        tempPaths.push(tempPath)
        // Created before the bytes flow, so that a body cut off in the middle cannot leave the
        // file behind: a stream that opens its own file may create it after the clean-up below.
        const handle = await open(tempPath, 'wx')
        let overTotal = false
        await pipeline(
          part.file,
          async function* countBytes(source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              total += chunk.length
              // Keep reading to the end of the part (as busboy does past its own limit), so
              // that the answer is a 413 rather than a connection reset.
              if (total > maxBytes) overTotal = true
              else yield chunk
            }
          },
          handle.createWriteStream(),
        )
        // busboy's per-file limit stops the stream rather than failing it: only this flag tells.
        if (part.file.truncated || overTotal) throw tooLarge(maxUploadMb, files.length > 0)
        const { size } = await stat(tempPath)
        files.push({
          path: tempPath,
          fileName: truncate(parseFileName(part.filename), MAX_FILE_NAME_LENGTH),
          size,
        })
      } else if (isExtraPart(part.fieldname)) {
        // A field holds at most MAX_EXTRA_PART_BYTES (multipart.ts): cut there means too big.
        if (part.valueTruncated) throw partTooLarge(part.fieldname)
        setExtra(part.fieldname, part.value)
      } else if (part.fieldname === 'name') {
        if (part.valueTruncated || isLongField(part.value)) throw nameTooLong()
        name = parseName(String(part.value))
      } else if (part.fieldname === 'mode') {
        mode = parseMode(String(part.value))
      } else if (part.fieldname === 'label') {
        if (part.valueTruncated || isLongField(part.value)) throw labelTooLong()
        labels.add(String(part.value))
      }
    }
    if (files.length === 0) {
      throw new ApiError(
        400,
        // busboy leaves out a part whose name or file name holds a line break (CR or LF, raw or
        // as %0D / %0A in `filename*`): no browser sends one (they write `%0D` / `%0A` in
        // `filename="…"`), so it is a broken client or a forged header, and we refuse rather
        // than guess a name. Such a part is never handed to us: this is all we can tell.
        'The upload has no file: send the .prof file in a multipart field named "file". A part whose name or file name contains a line break is not read: rename the file.',
      )
    }
    return { files, name, mode, labels: labels.toObject(), extras }
  } catch (error) {
    await Promise.all(tempPaths.map((tempPath) => rm(tempPath, { force: true })))
    throw translateMultipartError(error, maxUploadMb)
  }
}

/** A text field longer than such a field may be (the parser's own cap is the JSON parts'). */
function isLongField(value: unknown): boolean {
  return typeof value !== 'string' || Buffer.byteLength(value, 'utf8') > MAX_TEXT_FIELD_BYTES
}

function parseMode(value: string): UploadMode {
  if (value === 'separate' || value === 'merge') return value
  throw new ApiError(
    400,
    'The field "mode" must be "separate" (one run per file, the default) or "merge" (one run).',
  )
}

/** Creates the upload directory and empties it: what is there was cut off by a restart. */
export async function resetUploadDirectory(uploadDir: string): Promise<void> {
  await mkdir(uploadDir, { recursive: true })
  for (const entry of await readdir(uploadDir)) {
    await rm(path.join(uploadDir, entry), { recursive: true, force: true })
  }
}

/** The contract's run name: trimmed, non-empty (else null), at most 200 characters. */
export function parseName(value: string): string | null {
  const name = value.trim()
  if (name === '') return null
  if (Array.from(name).length > MAX_NAME_LENGTH) throw nameTooLong()
  return name
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * The client's file name as we keep it: control characters (a NUL, a tab; line breaks never get
 * here) dropped. It becomes the run's default name and a download's file name, and nothing
 * that shows or stores it needs them.
 */
export function parseFileName(fileName: string): string {
  return fileName.replace(CONTROL_CHARS, '')
}

/** A default name from a file name, which may be longer than a name may be. */
export function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text)
  return chars.length > maxLength ? chars.slice(0, maxLength).join('') : text
}

function tooLarge(maxUploadMb: number, several = false): ApiError {
  return new ApiError(
    413,
    several
      ? `The files together are larger than the ${maxUploadMb} MB limit (MAX_UPLOAD_MB).`
      : `The file is larger than the ${maxUploadMb} MB limit (MAX_UPLOAD_MB).`,
    'Payload Too Large',
  )
}

function tooManyFiles(): ApiError {
  return new ApiError(
    400,
    `Send at most ${MAX_FILES_PER_UPLOAD} files in one upload (fields named "file").`,
  )
}

function nameTooLong(): ApiError {
  return new ApiError(400, `The name is longer than ${MAX_NAME_LENGTH} characters.`)
}

function translateMultipartError(error: unknown, maxUploadMb: number): unknown {
  if (isApiError(error) || !(error instanceof Error)) return error
  const code = (error as NodeJS.ErrnoException).code
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxUploadMb)
    case 'FST_FILES_LIMIT':
      return tooManyFiles()
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new ApiError(
        400,
        'A field sent with Content-Type application/json is not JSON: send the memory, source and environment parts as profhub.py run writes them.',
      )
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return new ApiError(
        400,
        'Send the files in fields named "file" and, optionally, "name", "mode", "label", "memory", "source" and "environment" fields; nothing else.',
      )
    case 'FST_MP_PREMATURE_CLOSE':
    case undefined:
      // busboy's parse errors carry no code ("Unexpected end of form", "Malformed part header").
      return new ApiError(
        400,
        'The upload is not valid multipart/form-data, or it was cut off. Try again.',
        undefined,
        { cause: error },
      )
    default:
      if (isDiskFull(error)) return diskFullError(error)
      // Other file system errors are ours: a 500, logged with details.
      return error
  }
}
