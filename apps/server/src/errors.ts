import { STATUS_CODES } from 'node:http'

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
