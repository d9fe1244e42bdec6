import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { ApiError, isApiError } from '../errors.ts'

export interface ReceivedUpload {
  /** The bytes, in the upload directory; the caller moves or removes the file. */
  path: string
  /** The client's file name (untrusted text, never used as a path). */
  fileName: string
  size: number
  /** The `name` field, trimmed; null if absent or blank. */
  name: string | null
}

export const MAX_NAME_LENGTH = 200
const MAX_FILE_NAME_LENGTH = 255

/**
 * Streams the multipart `file` field to a temp file (never into memory) and collects the
 * optional `name` field, which may come before or after the file. Leaves no file behind when
 * it throws.
 */
export async function receiveUpload(
  request: FastifyRequest,
  uploadDir: string,
  maxUploadMb: number,
): Promise<ReceivedUpload> {
  const tempPath = path.join(uploadDir, `${randomBytes(12).toString('hex')}.upload`)
  let fileName: string | null = null
  let name: string | null = null
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || fileName !== null) {
          part.file.resume()
          continue
        }
        await pipeline(part.file, createWriteStream(tempPath, { flags: 'wx' }))
        // The limit stops the stream rather than failing it: only this flag tells.
        if (part.file.truncated) throw fileTooLarge(maxUploadMb)
        fileName = truncate(part.filename, MAX_FILE_NAME_LENGTH)
      } else if (part.fieldname === 'name') {
        if (part.valueTruncated) throw nameTooLong()
        name = parseName(String(part.value))
      }
    }
    if (fileName === null) {
      throw new ApiError(
        400,
        'The upload has no file: send the .prof file in a multipart field named "file".',
      )
    }
    const { size } = await stat(tempPath)
    return { path: tempPath, fileName, size, name }
  } catch (error) {
    await rm(tempPath, { force: true })
    throw translateMultipartError(error, maxUploadMb)
  }
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

/** A default name from a file name, which may be longer than a name may be. */
export function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text)
  return chars.length > maxLength ? chars.slice(0, maxLength).join('') : text
}

function fileTooLarge(maxUploadMb: number): ApiError {
  return new ApiError(
    413,
    `The file is larger than the ${maxUploadMb} MB limit (MAX_UPLOAD_MB).`,
    'Payload Too Large',
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
      return fileTooLarge(maxUploadMb)
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new ApiError(
        400,
        'Send one file in a field named "file" and, optionally, a "name" field; nothing else.',
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
      // File system errors (ENOSPC…) are ours: a 500, logged with details.
      return error
  }
}
