import type { FunctionStats, IndexedEdge, PackedTree, ProfileDocument } from '@profhub/profile'

/**
 * A profile's numbers cross to a Web Worker, and its call trees back (`PackedTree`), as typed
 * arrays, which are transferred, not copied. Structured-cloning the document itself (100k functions, 350k edges: hundreds of
 * thousands of objects) would cost the main thread about as much as building the tree there.
 * Names never cross: building the tree needs only the numbers, and the page keeps its document.
 */

/** The numbers of a profile document, column by column; a null edge time is NaN. */
export interface PackedProfile {
  sourceFormat: ProfileDocument['sourceFormat']
  summary: ProfileDocument['summary']
  ncalls: Float64Array
  primitiveCalls: Float64Array
  tottime: Float64Array
  cumtime: Float64Array
  caller: Int32Array
  callee: Int32Array
  edgeNcalls: Float64Array
  edgePrimitiveCalls: Float64Array
  edgeTottime: Float64Array
  edgeCumtime: Float64Array
}

export function packProfile(doc: ProfileDocument): PackedProfile {
  const n = doc.functions.length
  const m = doc.edges.length
  const packed: PackedProfile = {
    sourceFormat: doc.sourceFormat,
    summary: doc.summary,
    ncalls: new Float64Array(n),
    primitiveCalls: new Float64Array(n),
    tottime: new Float64Array(n),
    cumtime: new Float64Array(n),
    caller: new Int32Array(m),
    callee: new Int32Array(m),
    edgeNcalls: new Float64Array(m),
    edgePrimitiveCalls: new Float64Array(m),
    edgeTottime: new Float64Array(m),
    edgeCumtime: new Float64Array(m),
  }
  doc.functions.forEach((f, i) => {
    packed.ncalls[i] = f.ncalls
    packed.primitiveCalls[i] = f.primitiveCalls
    packed.tottime[i] = f.tottime
    packed.cumtime[i] = f.cumtime
  })
  doc.edges.forEach((e, i) => {
    packed.caller[i] = e.caller
    packed.callee[i] = e.callee
    packed.edgeNcalls[i] = e.ncalls
    packed.edgePrimitiveCalls[i] = e.primitiveCalls ?? NaN
    packed.edgeTottime[i] = e.tottime ?? NaN
    packed.edgeCumtime[i] = e.cumtime ?? NaN
  })
  return packed
}

/** The buffers to transfer with a packed profile or tree. */
export function transferables(packed: PackedProfile | PackedTree): ArrayBuffer[] {
  return Object.values(packed)
    .filter((v): v is ArrayBufferView => ArrayBuffer.isView(v))
    .map((v) => v.buffer as ArrayBuffer)
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x)

/** A document with the packed numbers and empty names: enough to build the tree. */
export function unpackProfile(packed: PackedProfile): ProfileDocument {
  const functions: FunctionStats[] = Array.from(packed.cumtime, (cumtime, i) => ({
    file: '',
    line: 0,
    name: '',
    ncalls: packed.ncalls[i]!,
    primitiveCalls: packed.primitiveCalls[i]!,
    tottime: packed.tottime[i]!,
    cumtime,
  }))
  const edges: IndexedEdge[] = Array.from(packed.caller, (caller, i) => ({
    index: i,
    caller,
    callee: packed.callee[i]!,
    ncalls: packed.edgeNcalls[i]!,
    primitiveCalls: orNull(packed.edgePrimitiveCalls[i]!),
    tottime: orNull(packed.edgeTottime[i]!),
    cumtime: orNull(packed.edgeCumtime[i]!),
  }))
  return {
    sourceFormat: packed.sourceFormat,
    pythonVersion: null,
    summary: packed.summary,
    functions,
    edges,
  }
}
