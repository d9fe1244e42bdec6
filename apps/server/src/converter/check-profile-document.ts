import { Compile } from 'typebox/compile'
import { ProfileDocumentSchema } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'

const validator = Compile(ProfileDocumentSchema)

/**
 * Why `value` is not a document we can store, or null if it is one. The schema checks the
 * shape; the rest are the cross-field rules a schema cannot say (the web app indexes
 * `functions` with edge endpoints, so an index out of range would break it later).
 */
export function findProfileDocumentProblem(value: unknown): string | null {
  if (!validator.Check(value)) {
    const first = validator.Errors(value)[0]
    return `schema: ${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'}`
  }
  const doc = value as ProfileDocument
  if (doc.summary.functionCount !== doc.functions.length) {
    return `summary.functionCount is ${doc.summary.functionCount} but there are ${doc.functions.length} functions`
  }
  const count = doc.functions.length
  const badEdge = doc.edges.findIndex((edge) => edge.caller >= count || edge.callee >= count)
  if (badEdge !== -1) return `edges[${badEdge}] points outside functions`
  return null
}
