import { FLAG_REF, isContainer, type MarshalNode, scanMarshal, TYPE_CODES } from './marshal-scan.ts'

/**
 * Deterministic mutants of real profiles. Mutant `index` of seed `seed` depends on nothing
 * else (not on the mutants before it, not on the machine), so a finding is reproduced from the
 * seed, its index and the same fixtures: `pnpm fuzz --seed S --count N` makes it again.
 */

export interface Source {
  name: string
  data: Uint8Array
}

export interface Mutant {
  index: number
  /** What was done, e.g. `rules-py3.11.prof: length@1234(s)=2147483647`; each step starts
   * with the mutation's name. */
  recipe: string
  data: Uint8Array
}

export type Random = () => number

/** mulberry32: small, fast, good enough to pick mutations, and the same everywhere. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const int = (random: Random, n: number) => Math.floor(random() * n)
const pick = <T>(random: Random, items: readonly T[]): T => items[int(random, items.length)]!

// Lengths and indices that sit on the edges: empty, off by one, sign bit, the largest int32.
const EDGE_INT32 = [0, 1, 2, 255, 256, 65535, 0x7fffffff, -1, -2, -0x80000000, 1 << 24, 1 << 30]

type Mutation = (data: Uint8Array, random: Random, other: Source) => [Uint8Array, string] | null

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function writeInt32(data: Uint8Array, at: number, value: number): Uint8Array {
  const out = data.slice()
  new DataView(out.buffer).setInt32(at, value, true)
  return out
}

/** Nodes of the scan that satisfy `test`, or null when there are none (the mutation skips). */
function nodesWhere(data: Uint8Array, test: (node: MarshalNode) => boolean) {
  const scan = scanMarshal(data)
  const nodes = scan.nodes.filter(test)
  return nodes.length ? { scan, nodes } : null
}

const MUTATIONS: Record<string, Mutation> = {
  flip(data, random) {
    if (!data.length) return null
    const out = data.slice()
    const flips = 1 + int(random, 8)
    for (let i = 0; i < flips; i++) out[int(random, out.length)]! ^= 1 << int(random, 8)
    return [out, `flip×${flips}`]
  },
  truncate(data, random) {
    if (!data.length) return null
    const at = int(random, data.length)
    return [data.slice(0, at), `truncate@${at}`]
  },
  insert(data, random) {
    const at = int(random, data.length + 1)
    const bytes = new Uint8Array(1 + int(random, 16)).map(() => int(random, 256))
    return [concat(data.subarray(0, at), bytes, data.subarray(at)), `insert@${at}+${bytes.length}`]
  },
  duplicate(data, random) {
    if (!data.length) return null
    const start = int(random, data.length)
    const length = 1 + int(random, Math.min(4096, data.length - start))
    const range = data.subarray(start, start + length)
    const at = random() < 0.5 ? start + length : int(random, data.length + 1)
    return [
      concat(data.subarray(0, at), range, data.subarray(at)),
      `duplicate[${start},+${length}]@${at}`,
    ]
  },
  typeCode(data, random) {
    const found = nodesWhere(data, () => true)
    if (!found) return null
    const node = pick(random, found.nodes)
    const code = pick(random, [...TYPE_CODES]).charCodeAt(0) | (node.flagRef ? FLAG_REF : 0)
    const out = data.slice()
    out[node.offset] = code
    return [out, `typeCode@${node.offset}:${node.code}->${String.fromCharCode(code & ~FLAG_REF)}`]
  },
  length(data, random) {
    const found = nodesWhere(data, (node) => node.lengthAt !== undefined)
    if (!found) return null
    const node = pick(random, found.nodes)
    const at = node.lengthAt!
    const out = data.slice()
    if (node.lengthSize === 1) {
      out[at] = pick(random, [0, 1, 127, 128, 255, (out[at]! + 1) & 255, (out[at]! - 1) & 255])
      return [out, `length@${at}(${node.code})=${out[at]}`]
    }
    const old = new DataView(out.buffer).getInt32(at, true)
    const value = pick(random, [...EDGE_INT32, old + 1, old - 1, old * 2])
    return [writeInt32(out, at, value | 0), `length@${at}(${node.code})=${value | 0}`]
  },
  hugeLength(data, random) {
    const found = nodesWhere(data, (node) => node.lengthSize === 4)
    if (!found) return null
    const node = pick(random, found.nodes)
    const value = pick(random, [0x7fffffff, 0x7ffffff0, 1 << 28, 100_000_000])
    return [
      writeInt32(data, node.lengthAt!, value),
      `hugeLength@${node.lengthAt}(${node.code})=${value}`,
    ]
  },
  refIndex(data, random) {
    const found = nodesWhere(data, (node) => node.refAt !== undefined)
    if (!found) return null
    const node = pick(random, found.nodes)
    const slots = found.scan.slots
    const value = pick(random, [...EDGE_INT32, slots, slots - 1, slots + 1, int(random, slots + 1)])
    return [writeInt32(data, node.refAt!, value | 0), `refIndex@${node.refAt}=${value | 0}`]
  },
  refToContainer(data, random) {
    // A reference to a container, ideally one still being read: a cycle in the object graph.
    const scan = scanMarshal(data)
    const refs = scan.nodes.filter((node) => node.code === 'r')
    const targets = scan.nodes.filter((node) => node.flagRef && isContainer(node.code))
    if (!refs.length || !targets.length) return null
    const ref = pick(random, refs)
    const enclosing = targets.filter((t) => t.offset < ref.offset && t.end > ref.offset)
    const target = pick(random, enclosing.length && random() < 0.7 ? enclosing : targets)
    const cycle = target.offset < ref.offset && target.end > ref.offset ? ' (cycle)' : ''
    return [
      writeInt32(data, ref.refAt!, target.slot),
      `refToContainer@${ref.refAt}->slot ${target.slot} ${target.code}${cycle}`,
    ]
  },
  flagRef(data, random) {
    // Setting (or clearing) FLAG_REF shifts every later slot: references then point elsewhere.
    const found = nodesWhere(data, () => true)
    if (!found) return null
    const out = data.slice()
    const count = 1 + int(random, 3)
    for (let i = 0; i < count; i++) out[pick(random, found.nodes).offset]! ^= FLAG_REF
    return [out, `flagRef×${count}`]
  },
  splice(data, random, other) {
    // At object boundaries when both scan, so the result is still mostly well-formed marshal.
    const mine = scanMarshal(data).nodes.filter((node) => node.end > 0)
    const theirs = scanMarshal(other.data).nodes.filter((node) => node.end > 0)
    if (mine.length && theirs.length && random() < 0.7) {
      const a = pick(random, mine)
      const b = pick(random, theirs)
      const out = concat(
        data.subarray(0, a.offset),
        other.data.subarray(b.offset, b.end),
        data.subarray(a.end),
      )
      return [out, `splice[${a.offset},${a.end})<-${other.name}[${b.offset},${b.end})`]
    }
    const cut = int(random, data.length + 1)
    const from = int(random, other.data.length + 1)
    return [
      concat(data.subarray(0, cut), other.data.subarray(from)),
      `splice@${cut}<-${other.name}@${from}`,
    ]
  },
}

export const MUTATION_NAMES = Object.keys(MUTATIONS)

/** Mutant `index` of `seed`: one to three mutations of one source (never the source as is). */
export function buildMutant(sources: readonly Source[], seed: number, index: number): Mutant {
  const random = createRandom(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ index)
  const source = pick(random, sources)
  let data = source.data
  const steps: string[] = []
  const rounds = 1 + (random() < 0.25 ? int(random, 3) : 0)
  for (let attempt = 0; steps.length < rounds && attempt < 20; attempt++) {
    const name = pick(random, MUTATION_NAMES)
    const result = MUTATIONS[name]!(data, random, pick(random, sources))
    if (!result) continue
    data = result[0]
    steps.push(result[1])
  }
  if (!steps.length) {
    // Nothing else applies to an (almost) empty file; an insertion always does.
    const [out, step] = MUTATIONS.insert!(data, random, source)!
    data = out
    steps.push(step)
  }
  return { index, recipe: `${source.name}: ${steps.join(', ')}`, data }
}
