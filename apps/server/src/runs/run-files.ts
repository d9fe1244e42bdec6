// The names of a run's stored files, the same in every store: files under DATA_DIR/runs/<id>/
// (sqlite-run-store.ts), or blobs `runs/<id>/<name>` (pg-run-store.ts).

/** The converted document (its brotli copy: `CompressedCopies.pathOf`). */
export const PROFILE_FILE = 'profile.json'
/** The `memory` part as checked and re-serialized. */
export const MEMORY_FILE = 'memory.json'
/** The `source` part, likewise: `{formatVersion, files: [{path, text}]}`. */
export const SOURCE_FILE = 'source.json'

/** The `index`th uploaded file (0: the first; merged runs have several, in upload order). */
export function originalFile(index: number): string {
  return index === 0 ? 'original.prof' : `original-${index}.prof`
}
