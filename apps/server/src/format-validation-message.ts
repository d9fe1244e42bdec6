import type { FastifySchemaValidationError } from 'fastify'

const PLACES: Record<string, string> = {
  querystring: 'query parameter',
  body: 'field',
  params: 'path parameter',
  headers: 'header',
}

/**
 * One sentence for the first problem Ajv found, naming the parameter. An enum written as a
 * union of literals makes Ajv report one `const` error per allowed value: list them instead.
 */
export function formatValidationMessage(
  errors: FastifySchemaValidationError[],
  context: string | undefined,
): string {
  const first = errors[0]
  if (first === undefined) return 'The request is not valid.'
  const place = PLACES[context ?? ''] ?? 'parameter'
  const missing = first.params.missingProperty
  if (first.keyword === 'required' && typeof missing === 'string') {
    return `The ${place} "${missing}" is required.`
  }
  const extra = errors.find((error) => error.keyword === 'additionalProperties')?.params
  if (extra !== undefined) {
    // Ajv names one property, TypeBox lists them.
    const names = [extra.additionalProperty ?? extra.additionalProperties].flat()
    return `The ${place} "${String(names[0])}" is not allowed.`
  }
  const field = first.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const subject = field === '' ? 'The request body' : `The ${place} "${field}"`
  const allowed = errors
    .filter((error) => error.instancePath === first.instancePath && error.keyword === 'const')
    .map((error) => String(error.params.allowedValue))
  if (allowed.length > 0) return `${subject} must be one of: ${allowed.join(', ')}.`
  return `${subject} ${first.message ?? 'is not valid'}.`
}
