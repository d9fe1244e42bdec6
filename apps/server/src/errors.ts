import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

const API_ERROR = Symbol.for('profhub.ApiError')

/**
 * An error whose message was written for the person who made the request. The error handler
 * shows it as `{error: title, message}`, even for a 5xx; any other 5xx gets a generic message.
 */
export class ApiError extends Error {
  readonly [API_ERROR] = true
  readonly statusCode: number
  readonly title: string

  constructor(
    statusCode: number,
    message: string,
    title = STATUS_CODES[statusCode] ?? 'Error',
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.statusCode = statusCode
    this.title = title
  }
}

/**
 * By brand rather than instanceof: a module loaded twice (by a worker's loader, or by a test
 * runner that transforms some importers and not others) must still be recognised.
 */
export function isApiError(error: unknown): error is ApiError {
  return typeof error === 'object' && error !== null && API_ERROR in error
}

/** Untrusted text in a message: quoted, and cut so that a huge field cannot flood the reply. */
export function quoteForMessage(text: string): string {
  const chars = Array.from(text)
  return JSON.stringify(chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : text)
}

/** An uploaded file's name inside a message: quoted, controls and bidi overrides replaced. */
export function quoteFileName(fileName: string): string {
  const chars = Array.from(fileName)
  const shown = chars.length > 100 ? `${chars.slice(0, 99).join('')}…` : fileName
  // eslint-disable-next-line no-control-regex
  return `“${shown.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, '\ufffd')}”`
}

export function runNotFound(): ApiError {
  return new ApiError(
    404,
    'There is no run with this id. It may have been deleted, or the link is incomplete.',
  )
}

export const INTERNAL_ERROR_BODY = {
  error: 'Internal Server Error',
  message: 'Something went wrong on the server; try again.',
} as const

/**
 * Fastify's `frameworkErrors`: what it cannot route answers here rather than with its own body
 * (`{statusCode, code, error, message}`, no security headers). A malformed URL (`/%zz`, `/%ff`:
 * a `%` escape that is not two hex digits or not UTF-8) is refused before routing, so neither
 * the hooks (security headers) nor the error handler ran: the same headers and the same
 * `{error, message}` body as every other answer are given here.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (request.server.hasDecorator('setSecurityHeaders')) {
    request.server.setSecurityHeaders(request.raw, reply.raw)
  }
  const [status, body] = frameworkErrorAnswer(error)
  // The raw URL as sent; anything outside printable ASCII is escaped so it cannot forge a line.
  const url = request.raw.url?.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)) ?? ''
  if (status >= 500) request.log.error({ err: error }, `${request.method} ${url} ${status}`)
  else request.log.info(`${request.method} ${url} ${status} ${body.error}: ${body.message}`)
  reply.code(status).type('application/json; charset=utf-8').send(body)
}

function frameworkErrorAnswer(error: FastifyError): [number, { error: string; message: string }] {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return [
        400,
        {
          error: 'Bad Request',
          message:
            'This address is not a valid URL: a "%" must start an escape of two hexadecimal digits (write "%25" for "%" itself), and the escapes must spell UTF-8 text.',
        },
      ]
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // A part of the path far longer than any run id: no run has it.
      return [404, { error: 'Not Found', message: 'There is nothing at this address.' }]
    default:
      return [500, { ...INTERNAL_ERROR_BODY }]
  }
}
