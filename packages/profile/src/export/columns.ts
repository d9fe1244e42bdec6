import {
  readProfileDocument,
  writeProfileDocument,
  type ProfileDocumentV2,
  type StoredProfileDocument,
} from '../document.ts'

/**
 * The stored document as columns (formatVersion 2), whatever version it was stored in: a
 * version 2 document is returned as it is; an older one is upgraded (runs stored before
 * version 2 hold version 1). A newer version is refused (`UnsupportedFormatError`).
 */
export function readProfileColumns(doc: StoredProfileDocument): ProfileDocumentV2 {
  if (doc.formatVersion === 2) return doc
  return writeProfileDocument(readProfileDocument(doc))
}

/**
 * Function indices by cumulative time, largest first, ties by (file, line, name): the order of
 * the `/stats` default and of pstats' `sort_stats('cumulative')` report.
 */
export function orderByCumulative(doc: ProfileDocumentV2): Int32Array {
  const { strings, functions: f } = doc
  const order = new Int32Array(f.line.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  // Code-unit order, as the stats table sorts (`compareByKey`).
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return order.sort(
    (a, b) =>
      f.cumtime[b]! - f.cumtime[a]! ||
      text(strings[f.file[a]!]!, strings[f.file[b]!]!) ||
      f.line[a]! - f.line[b]! ||
      text(strings[f.name[a]!]!, strings[f.name[b]!]!),
  )
}
