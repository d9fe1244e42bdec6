import type { FunctionMatching, FunctionStats, ProfileDocument } from '@profhub/profile'

/**
 * What the function matching of a compare needs of a profile, ready to cross to a Web Worker:
 * typed arrays (transferred) and two long strings. Each text is cut out of a string that holds
 * them all, by its length: cloning one long string is a copy of its bytes, where a hundred
 * thousand short ones (or function objects) held the page for a good part of a second. Files
 * come once per run of functions in the same file (functions come sorted by file), names once
 * per function; the profile's numbers stay on the page.
 */
export interface PackedKeys {
  files: string
  fileLengths: Int32Array
  /** Each function's index among the files. */
  fileOf: Int32Array
  names: string
  nameLengths: Int32Array
  lines: Int32Array
}

export function packKeys(doc: ProfileDocument): PackedKeys {
  const n = doc.functions.length
  const files: string[] = []
  const names = new Array<string>(n)
  const fileOf = new Int32Array(n)
  const nameLengths = new Int32Array(n)
  const lines = new Int32Array(n)
  let last: string | null = null
  doc.functions.forEach((f, i) => {
    if (f.file !== last) files.push((last = f.file))
    fileOf[i] = files.length - 1
    names[i] = f.name
    nameLengths[i] = f.name.length
    lines[i] = f.line
  })
  return {
    files: files.join(''),
    fileLengths: Int32Array.from(files, (file) => file.length),
    fileOf,
    names: names.join(''),
    nameLengths,
    lines,
  }
}

/** The texts again, cut out of `text` by their lengths. */
function split(text: string, lengths: Int32Array): string[] {
  let at = 0
  return Array.from(lengths, (length) => text.slice(at, (at += length)))
}

/** The functions again, with their keys and no numbers (all that matching reads). */
export function unpackKeys(packed: PackedKeys): { functions: FunctionStats[] } {
  const files = split(packed.files, packed.fileLengths)
  const names = split(packed.names, packed.nameLengths)
  const functions = Array.from(packed.lines, (line, i) => ({
    file: files[packed.fileOf[i]!]!,
    line,
    name: names[i]!,
    ncalls: 0,
    primitiveCalls: 0,
    tottime: 0,
    cumtime: 0,
  }))
  return { functions }
}

/** The buffers to transfer with packed keys. */
export function keyBuffers(packed: PackedKeys): ArrayBuffer[] {
  return [packed.fileLengths, packed.fileOf, packed.nameLengths, packed.lines].map(
    (array) => array.buffer as ArrayBuffer,
  )
}

/** The result of the worker: the matching and the rows' order (see `computeDiffOrder`). */
export interface PackedMatching extends FunctionMatching {
  order: Int32Array
}

export function matchingBuffers(packed: PackedMatching): ArrayBuffer[] {
  return [packed.beforeOf, packed.afterOf, packed.moved, packed.root, packed.order].map(
    (array) => array.buffer as ArrayBuffer,
  )
}
