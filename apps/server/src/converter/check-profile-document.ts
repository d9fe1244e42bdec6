import { Compile } from 'typebox/compile'
import { ProfileDocumentSchema } from '@profhub/api'
import type { ProfileDocumentV2 } from '@profhub/profile'

const validator = Compile(ProfileDocumentSchema)

/**
 * Why `value` is not a document we can store, or null if it is one. The schema checks the
 * shape and every value; the rest are the cross-field rules a schema cannot say: columns of one
 * table have one length, and indices stay inside the table they point into (the web app looks
 * them up without checking).
 */
export function findProfileDocumentProblem(value: unknown): string | null {
  if (!validator.Check(value)) {
    const first = validator.Errors(value)[0]
    return `schema: ${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'}`
  }
  const doc = value as ProfileDocumentV2
  const count = doc.functions.line.length
  if (doc.summary.functionCount !== count) {
    return `summary.functionCount is ${doc.summary.functionCount} but there are ${count} functions`
  }
  return (
    unevenColumn('functions', doc.functions) ??
    unevenColumn('edges', doc.edges) ??
    indexOutside('functions.file', doc.functions.file, doc.strings.length) ??
    indexOutside('functions.name', doc.functions.name, doc.strings.length) ??
    indexOutside('edges.caller', doc.edges.caller, count) ??
    indexOutside('edges.callee', doc.edges.callee, count)
  )
}

function unevenColumn(table: string, columns: object): string | null {
  const lengths = (Object.entries(columns) as [string, unknown[]][]).map(
    ([name, column]) => [name, column.length] as const,
  )
  const [first, length] = lengths[0]!
  const other = lengths.find(([, n]) => n !== length)
  return other
    ? `${table}.${other[0]} has ${other[1]} entries but ${table}.${first} ${length}`
    : null
}

function indexOutside(column: string, indices: number[], size: number): string | null {
  for (let i = 0; i < indices.length; i++) {
    if (indices[i]! >= size) return `${column}[${i}] points outside its table`
  }
  return null
}
