/**
 * A lenient walk over marshal data that records where each object's parts are, so the mutator
 * can change exactly a type code, a length field or a back-reference index. It never decides
 * whether data is valid (that is the shim's job): at the first byte it cannot follow (an
 * unknown code, a code object, the end of the data) it stops and returns what it found.
 */

/** marshal's FLAG_REF: the object gets the next back-reference slot. */
export const FLAG_REF = 0x80

export interface MarshalNode {
  /** Offset of the type byte. */
  offset: number
  /** The type code without FLAG_REF (e.g. '{'). */
  code: string
  flagRef: boolean
  /** The back-reference slot this object reserved (FLAG_REF set), else -1. */
  slot: number
  /** The count/length field: its offset and size in bytes (1 or 4), when the type has one. */
  lengthAt?: number
  lengthSize?: 1 | 4
  /** Offset of the int32 index of an 'r' (reference) or 'R' (Python 2 string reference). */
  refAt?: number
  /** Offset just past the whole object, children included (-1 when the walk stopped inside). */
  end: number
}

export interface MarshalScan {
  nodes: MarshalNode[]
  /** How many FLAG_REF slots were reserved. */
  slots: number
}

/** Codes the mutator may write; all of them are codes marshal knows. */
export const TYPE_CODES = '0NFTS.iIlfgxysturaAzZR()[]{}<>c'

const CONTAINERS = new Set(['(', ')', '[', '{', '<', '>'])

export function isContainer(code: string): boolean {
  return CONTAINERS.has(code)
}

class Stop extends Error {}

export function scanMarshal(data: Uint8Array, maxNodes = 200_000): MarshalScan {
  const nodes: MarshalNode[] = []
  let pos = 0
  let slots = 0
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const need = (n: number) => {
    if (pos + n > data.length) throw new Stop()
  }
  const int32 = () => {
    need(4)
    const value = view.getInt32(pos, true)
    pos += 4
    return value
  }
  const skip = (n: number) => {
    if (n < 0) throw new Stop()
    need(n)
    pos += n
  }

  const readObject = (depth: number): void => {
    if (depth > 200 || nodes.length >= maxNodes) throw new Stop()
    need(1)
    const byte = data[pos]!
    const code = String.fromCharCode(byte & ~FLAG_REF)
    const flagRef = (byte & FLAG_REF) !== 0
    const node: MarshalNode = { offset: pos, code, flagRef, slot: flagRef ? slots++ : -1, end: -1 }
    nodes.push(node)
    pos += 1
    // Recorded only once the field is all there: a cut-off field is nothing to rewrite.
    const withLength = (size: 1 | 4) => {
      need(size)
      node.lengthAt = pos
      node.lengthSize = size
      if (size === 1) return data[pos++]!
      return int32()
    }
    switch (code) {
      case '0':
      case 'N':
      case 'F':
      case 'T':
      case 'S':
      case '.':
        break
      case 'i':
        skip(4)
        break
      case 'I':
      case 'g':
        skip(8)
        break
      case 'y':
        skip(16)
        break
      case 'l':
        skip(Math.abs(withLength(4)) * 2)
        break
      case 'f':
        skip(withLength(1))
        break
      case 'x':
        skip(withLength(1))
        need(1)
        skip(data[pos++]!)
        break
      case 's':
      case 't':
      case 'u':
      case 'a':
      case 'A':
        skip(withLength(4))
        break
      case 'z':
      case 'Z':
        skip(withLength(1))
        break
      case 'r':
      case 'R':
        need(4)
        node.refAt = pos
        skip(4)
        break
      case '(':
      case '[':
      case '<':
      case '>': {
        const n = withLength(4)
        if (n < 0) throw new Stop()
        for (let i = 0; i < n; i++) readObject(depth + 1)
        break
      }
      case ')': {
        const n = withLength(1)
        for (let i = 0; i < n; i++) readObject(depth + 1)
        break
      }
      case '{':
        for (;;) {
          need(1)
          if (data[pos] === 0x30 /* '0' */) {
            pos += 1
            break
          }
          readObject(depth + 1)
          readObject(depth + 1)
        }
        break
      default:
        // 'c' (code objects) and anything unknown: their layout depends on the Python version.
        throw new Stop()
    }
    node.end = pos
  }

  try {
    while (pos < data.length) readObject(0)
  } catch (error) {
    if (!(error instanceof Stop)) throw error
  }
  return { nodes, slots }
}
