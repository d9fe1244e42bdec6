import type { ProfileDocument } from '@profhub/profile'
import { computeProfileIndex, type ProfileIndex } from './profile-index.ts'
import { computeTableRows, type TableRow } from './views/StatsTable/table-rows.ts'

/**
 * Per-profile derived data, computed once per loaded document and cached beside it (a WeakMap:
 * it goes when the store drops the profile). Components read these instead of storing results.
 */

function memoizeByDocument<T>(compute: (doc: ProfileDocument) => T): (doc: ProfileDocument) => T {
  const cache = new WeakMap<ProfileDocument, T>()
  return (doc) => {
    let value = cache.get(doc)
    if (value === undefined) {
      value = compute(doc)
      cache.set(doc, value)
    }
    return value
  }
}

export const selectProfileIndex: (doc: ProfileDocument) => ProfileIndex =
  memoizeByDocument(computeProfileIndex)

export const selectTableRows: (doc: ProfileDocument) => readonly TableRow[] = memoizeByDocument(
  (doc) => computeTableRows(doc.functions),
)
