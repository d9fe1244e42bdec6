import {
  buildCallGraph,
  type CallEdge,
  type CallGraph,
  type CallTree,
  type CallTreeNode,
  type FunctionStats,
  type ProfileDocument,
} from '@profhub/profile'

/**
 * The call tree crosses to and from a Web Worker as typed arrays, which are transferred, not
 * copied. Structured-cloning the document itself (100k functions, 350k edges: hundreds of
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

/** One call tree in pre-order: node 0 is the top; a parent comes before its children. */
export interface PackedTree {
  func: Int32Array
  parent: Int32Array
  /** Index into the document's `edges`; -1 for the top and the roots. */
  edge: Int32Array
  value: Float64Array
  exact: Uint8Array
  total: number
  truncated: boolean
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

/** An edge of an unpacked profile: it knows its place in `edges`, for `packTree`. */
interface IndexedEdge extends CallEdge {
  index: number
}

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

/**
 * Where an edge is in its document's `edges`: known to the edges of `unpackProfile`'s documents,
 * else found through a map (of 350k edges for 100k functions: 60 ms, so built once).
 */
function edgeIndexer(doc: ProfileDocument): (edge: CallEdge) => number {
  const first = doc.edges[0] as Partial<IndexedEdge> | undefined
  if (first?.index === 0) return (edge) => (edge as IndexedEdge).index
  const edgeIndex = new Map<CallEdge, number>()
  doc.edges.forEach((edge, i) => edgeIndex.set(edge, i))
  return (edge) => edgeIndex.get(edge)!
}

export function packTree(tree: CallTree): PackedTree {
  const indexOf = edgeIndexer(tree.graph.doc)
  let n = 0
  for (const stack = [tree.top]; stack.length > 0; n++) stack.push(...stack.pop()!.children)
  const packed: PackedTree = {
    func: new Int32Array(n),
    parent: new Int32Array(n),
    edge: new Int32Array(n),
    value: new Float64Array(n),
    exact: new Uint8Array(n),
    total: tree.total,
    truncated: tree.truncated,
  }
  let next = 0
  const stack: [CallTreeNode, number][] = [[tree.top, -1]]
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!
    const i = next++
    packed.func[i] = node.func
    packed.parent[i] = parent
    packed.edge[i] = node.edge ? indexOf(node.edge) : -1
    packed.value[i] = node.value
    packed.exact[i] = node.exact ? 1 : 0
    for (let c = node.children.length - 1; c >= 0; c--) stack.push([node.children[c]!, i])
  }
  return packed
}

/**
 * The tree again, over the page's own document. Its call graph (two adjacency arrays over every
 * function) is built only if something asks for it: the charts never do.
 */
export function unpackTree(packed: PackedTree, doc: ProfileDocument): CallTree {
  const nodes: CallTreeNode[] = new Array(packed.func.length)
  for (let i = 0; i < packed.func.length; i++) {
    const parent = packed.parent[i]! < 0 ? null : nodes[packed.parent[i]!]!
    const e = packed.edge[i]!
    const node: CallTreeNode = {
      func: packed.func[i]!,
      edge: e < 0 ? null : doc.edges[e]!,
      value: packed.value[i]!,
      exact: packed.exact[i] === 1,
      depth: parent ? parent.depth + 1 : 0,
      parent,
      children: [],
    }
    parent?.children.push(node)
    nodes[i] = node
  }
  const top = nodes[0]!
  let graph: CallGraph | undefined
  return {
    get graph() {
      return (graph ??= buildCallGraph(doc))
    },
    top,
    roots: top.children,
    total: packed.total,
    nodeCount: nodes.length - 1,
    truncated: packed.truncated,
  }
}
