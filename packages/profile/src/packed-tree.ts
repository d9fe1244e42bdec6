import { buildCallGraph, type CallGraph } from './call-graph.ts'
import type { CallTree, CallTreeNode, CallTreeOptions } from './call-tree.ts'
import type { CallEdge, ProfileDocument } from './pstats.ts'

/**
 * How fine the charts' call tree is built, once per profile (by the server for a stored run,
 * by the page for a dropped file). Nodes under 1/100,000 of the total time are left out (their
 * time shows as their parent's own): at the default cutoff (0.1 % of the focused node) that is
 * every node a chart draws until you zoom into a node of under 1 % of the total; deeper in, the
 * smallest callees are missing. A 100k-function profile gives about 50,000 nodes.
 */
export const CHART_TREE_OPTIONS: CallTreeOptions = { minFraction: 1e-5, maxNodes: 250_000 }

/**
 * A call tree as numbers, in pre-order: node 0 is the top; a parent comes before its children.
 * It crosses to and from a Web Worker (typed arrays are transferred, not copied) and comes
 * from the server (`encodePackedTree`); names never travel with it: the page has its document.
 */
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

/** An edge that knows its place in its document's `edges` (a worker's unpacked profile). */
export interface IndexedEdge extends CallEdge {
  index: number
}

/**
 * Where an edge is in its document's `edges`: known to indexed edges, else found through a map
 * (of 350k edges for 100k functions: 60 ms, so built once).
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
    const p = packed.parent[i]!
    const e = packed.edge[i]!
    const f = packed.func[i]!
    // A tree of another document (or not a tree) fails here rather than drawing nonsense.
    if ((i === 0 ? p !== -1 : p < 0 || p >= i) || e >= doc.edges.length) {
      throw new Error('the call tree does not fit the profile')
    }
    if (i > 0 && (f < 0 || f >= doc.functions.length)) {
      throw new Error('the call tree does not fit the profile')
    }
    const parent = p < 0 ? null : nodes[p]!
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

/**
 * The bytes of a packed tree (`GET /api/runs/:id/tree`), little-endian (as every machine a
 * browser runs on): "PHT1", the node count (u32), the total (f64), truncated (u8), padding to 24
 * bytes; then the columns value (f64), func, parent, edge (i32) and exact (u8), each aligned
 * for a typed-array view of the bytes as they arrive.
 */
const MAGIC = [0x50, 0x48, 0x54, 0x31] // "PHT1"
const HEADER = 24
const BYTES_PER_NODE = 8 + 4 + 4 + 4 + 1
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export function encodePackedTree(tree: PackedTree): Uint8Array {
  if (!littleEndian) throw new Error('packed call trees are written on little-endian machines')
  const n = tree.func.length
  const bytes = new Uint8Array(HEADER + n * BYTES_PER_NODE)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  view.setUint32(4, n, true)
  view.setFloat64(8, tree.total, true)
  bytes[16] = tree.truncated ? 1 : 0
  let offset = HEADER
  for (const column of [tree.value, tree.func, tree.parent, tree.edge, tree.exact]) {
    bytes.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), offset)
    offset += column.byteLength
  }
  return bytes
}

/** `encodePackedTree`'s bytes as a tree (views of `buffer`); throws for bytes that are not. */
export function decodePackedTree(buffer: ArrayBuffer): PackedTree {
  const bytes = new Uint8Array(buffer)
  if (!littleEndian) throw new Error('packed call trees are read on little-endian machines')
  if (bytes.length < HEADER || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new Error('not a packed call tree')
  }
  const view = new DataView(buffer)
  const n = view.getUint32(4, true)
  if (n < 1 || bytes.length !== HEADER + n * BYTES_PER_NODE) {
    throw new Error('a packed call tree of the wrong length')
  }
  let offset = HEADER
  const next = (size: number) => (offset += n * size) - n * size
  return {
    value: new Float64Array(buffer, next(8), n),
    func: new Int32Array(buffer, next(4), n),
    parent: new Int32Array(buffer, next(4), n),
    edge: new Int32Array(buffer, next(4), n),
    exact: new Uint8Array(buffer, next(1), n),
    total: view.getFloat64(8, true),
    truncated: bytes[16] === 1,
  }
}
