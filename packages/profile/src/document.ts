import type { CallEdge, FunctionStats, ProfileDocument, SourceFormat, Summary } from './pstats.ts'

/**
 * The profile document as the shim writes it, the server stores it and `GET /profile` serves it.
 *
 * Version 2 stores the tables as columns over a string table, like the Firefox Profiler's
 * processed format: a 100k-function profile is 22 MB instead of 54 MB of objects with repeated
 * keys, parses about three times faster, and its numbers go straight into typed arrays.
 * Version 1 (one object per function and per edge) is what runs stored before it hold; readers
 * upgrade it. Bump the version whenever the shape changes.
 */
export const FORMAT_VERSION = 2

/** One entry per function, sorted by (file, line, name); `file` and `name` index `strings`. */
export interface FunctionColumns {
  file: number[]
  line: number[]
  name: number[]
  ncalls: number[]
  primitiveCalls: number[]
  tottime: number[]
  cumtime: number[]
}

/**
 * One entry per call edge, sorted by (callee, caller); both index the functions. The `profile`
 * module records a call count only: its edges hold null in the last three columns.
 */
export interface EdgeColumns {
  caller: number[]
  callee: number[]
  ncalls: number[]
  primitiveCalls: (number | null)[]
  tottime: (number | null)[]
  cumtime: (number | null)[]
}

export interface ProfileDocumentV2 {
  formatVersion: 2
  sourceFormat: SourceFormat
  pythonVersion: string | null
  summary: Summary
  /** Every file path and function name once, in order of first use. */
  strings: string[]
  functions: FunctionColumns
  edges: EdgeColumns
}

export interface ProfileDocumentV1 extends ProfileDocument {
  formatVersion: 1
}

export type StoredProfileDocument = ProfileDocumentV1 | ProfileDocumentV2

export class UnsupportedFormatError extends Error {}

/**
 * The profile in a stored document of any version this code knows; refuses newer ones rather
 * than misreading them. The document is trusted to be well-formed (the server checked it).
 */
export function readProfileDocument(doc: { formatVersion: unknown }): ProfileDocument {
  if (doc.formatVersion === 2) return fromColumns(doc as ProfileDocumentV2)
  if (doc.formatVersion === 1) {
    const { formatVersion: _, ...profile } = doc as ProfileDocumentV1
    return profile
  }
  throw new UnsupportedFormatError(
    `profile format ${String(doc.formatVersion)} is not supported (expected 1 to ${FORMAT_VERSION})`,
  )
}

function fromColumns(doc: ProfileDocumentV2): ProfileDocument {
  const { strings, functions: f, edges: e } = doc
  const functions = new Array<FunctionStats>(f.line.length)
  for (let i = 0; i < functions.length; i++) {
    functions[i] = {
      file: strings[f.file[i]!]!,
      line: f.line[i]!,
      name: strings[f.name[i]!]!,
      ncalls: f.ncalls[i]!,
      primitiveCalls: f.primitiveCalls[i]!,
      tottime: f.tottime[i]!,
      cumtime: f.cumtime[i]!,
    }
  }
  const edges = new Array<CallEdge>(e.caller.length)
  for (let i = 0; i < edges.length; i++) {
    edges[i] = {
      caller: e.caller[i]!,
      callee: e.callee[i]!,
      ncalls: e.ncalls[i]!,
      primitiveCalls: e.primitiveCalls[i]!,
      tottime: e.tottime[i]!,
      cumtime: e.cumtime[i]!,
    }
  }
  const { sourceFormat, pythonVersion, summary } = doc
  return { sourceFormat, pythonVersion, summary, functions, edges }
}

/** The current stored form of `profile` (what the shim would write for it). */
export function writeProfileDocument(profile: ProfileDocument): ProfileDocumentV2 {
  const strings: string[] = []
  const indexOf = new Map<string, number>()
  const intern = (text: string) => {
    let index = indexOf.get(text)
    if (index === undefined) {
      index = strings.push(text) - 1
      indexOf.set(text, index)
    }
    return index
  }
  const fns = profile.functions
  const functions: FunctionColumns = {
    file: [],
    line: fns.map((fn) => fn.line),
    name: [],
    ncalls: fns.map((fn) => fn.ncalls),
    primitiveCalls: fns.map((fn) => fn.primitiveCalls),
    tottime: fns.map((fn) => fn.tottime),
    cumtime: fns.map((fn) => fn.cumtime),
  }
  for (const fn of fns) {
    functions.file.push(intern(fn.file))
    functions.name.push(intern(fn.name))
  }
  const edges = profile.edges
  return {
    formatVersion: FORMAT_VERSION,
    sourceFormat: profile.sourceFormat,
    pythonVersion: profile.pythonVersion,
    summary: profile.summary,
    strings,
    functions,
    edges: {
      caller: edges.map((edge) => edge.caller),
      callee: edges.map((edge) => edge.callee),
      ncalls: edges.map((edge) => edge.ncalls),
      primitiveCalls: edges.map((edge) => edge.primitiveCalls),
      tottime: edges.map((edge) => edge.tottime),
      cumtime: edges.map((edge) => edge.cumtime),
    },
  }
}
