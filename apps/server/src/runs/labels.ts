import { ApiError, quoteForMessage as quote } from '../errors.ts'

// Labels are `KEY=VALUE` pairs sent with an upload (repeated multipart `label` fields), kept
// with the run and returned as `labels: {KEY: VALUE}`. Keys are restricted so that they can
// go into URLs and command lines unquoted; values are untrusted text, kept as sent.

export const MAX_LABELS = 50
export const MAX_LABEL_KEY_LENGTH = 64
export const MAX_LABEL_VALUE_LENGTH = 500

const LABEL_KEY = new RegExp(`^[A-Za-z0-9_.:/-]{1,${MAX_LABEL_KEY_LENGTH}}$`)

/**
 * Collects an upload's labels in the order sent. A key sent twice is a 400 rather than "the
 * last wins": two values for one key are more likely a mistake in a script than an override.
 * Entries live in a Map so that a key such as `__proto__` is data, never an object's prototype.
 */
export class LabelSet {
  readonly #labels = new Map<string, string>()

  /** Parses one `label` field (`KEY=VALUE`, split at the first `=`) and adds it. */
  add(field: string): void {
    const equals = field.indexOf('=')
    if (equals === -1) {
      throw new ApiError(
        400,
        `The label ${quote(field)} has no "=": send labels as KEY=VALUE, e.g. branch=main.`,
      )
    }
    const key = field.slice(0, equals)
    const value = field.slice(equals + 1)
    if (!LABEL_KEY.test(key)) {
      throw new ApiError(
        400,
        `The label key ${quote(key)} is not valid: use 1 to ${MAX_LABEL_KEY_LENGTH} letters, digits or _ . : / - characters.`,
      )
    }
    if (Array.from(value).length > MAX_LABEL_VALUE_LENGTH) throw labelTooLong(key)
    if (this.#labels.has(key)) {
      throw new ApiError(400, `The label ${quote(key)} is given twice: send each key once.`)
    }
    if (this.#labels.size === MAX_LABELS) {
      throw new ApiError(400, `Send at most ${MAX_LABELS} labels with one upload.`)
    }
    this.#labels.set(key, value)
  }

  /** A plain object whose own properties are the labels (`Object.fromEntries` defines them). */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#labels)
  }
}

/** A `label` field that the multipart parser cut at its size limit. */
export function labelTooLong(key?: string): ApiError {
  return new ApiError(
    400,
    `${key === undefined ? 'A label' : `The label ${quote(key)}`} is too long: values may have at most ${MAX_LABEL_VALUE_LENGTH} characters.`,
  )
}
