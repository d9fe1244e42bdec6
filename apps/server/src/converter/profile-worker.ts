import { readFileSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import {
  buildCallTree,
  CHART_TREE_OPTIONS,
  encodePackedTree,
  formatCallgrind,
  packTree,
  formatSpeedscope,
  formatStatsCsv,
  readProfileDocument,
  seriesFunctionsOf,
  type ProfileDocumentV2,
  type SeriesFunctionInput,
  type StoredProfileDocument,
} from '@profhub/profile'
import { computeAncestors } from './ancestors.ts'
import { statsColumnsOf, transferListOf } from './stats-table.ts'
import { findProfileDocumentProblem } from './check-profile-document.ts'
import type { WorkerAnswer, WorkerTask } from './profile-workers.ts'

// The worker thread of `profile-workers.ts`: parses and checks big JSON documents off the
// event loop (a 100k-function profile is about 22 MB: 0.1 s to parse, more to check). It
// sends back only what is cheap to copy: a document's metadata, or its function table as
// columns with transferred typed arrays (structured-cloning a whole parsed document back
// costs more than parsing it).

function handle(task: WorkerTask): { answer: WorkerAnswer; transfer: ArrayBuffer[] } {
  if (task.kind === 'ping') return { answer: { kind: 'pong' }, transfer: [] }
  if (task.kind === 'export') {
    const encoded = new TextEncoder().encode(formatExport(task))
    // A view of exactly the text (encode() makes one today; a copy if that ever changes).
    const bytes = encoded.byteLength === encoded.buffer.byteLength ? encoded : encoded.slice()
    return { answer: { kind: 'exported', bytes: bytes.buffer }, transfer: [bytes.buffer] }
  }
  if (task.kind === 'series') {
    const { functions } = readStoredDocument(task.document)
    return { answer: { kind: 'series', series: seriesFunctionsOf(functions) }, transfer: [] }
  }
  if (task.kind === 'tree') {
    const tree = buildCallTree(readStoredDocument(task.document), CHART_TREE_OPTIONS)
    const { buffer } = encodePackedTree(packTree(tree))
    return {
      answer: { kind: 'tree', bytes: buffer as ArrayBuffer },
      transfer: [buffer as ArrayBuffer],
    }
  }
  if (task.kind === 'ancestors') {
    const ancestors = computeAncestors(readStoredDocument(task.document), task.targets)
    return { answer: { kind: 'ancestors', ancestors }, transfer: [] }
  }
  if (task.kind === 'check') {
    let value: unknown
    try {
      // The file is stored as is: its bytes must be the UTF-8 text that was checked.
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(task.path)))
    } catch (error) {
      return { answer: { kind: 'invalid-json', message: String(error) }, transfer: [] }
    }
    const problem = findProfileDocumentProblem(value)
    if (problem !== null) return { answer: { kind: 'invalid', problem }, transfer: [] }
    const doc = value as ProfileDocumentV2
    const { sourceFormat, pythonVersion, summary } = doc
    return {
      answer: {
        kind: 'checked',
        meta: { sourceFormat, pythonVersion, summary },
        series: seriesFunctionsOf(functionsOf(doc)),
      },
      transfer: [],
    }
  }
  let text: string
  try {
    text = readFileSync(task.path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { answer: { kind: 'missing' }, transfer: [] }
    }
    throw error
  }
  // Checked when it was stored (runs stored before formatVersion 2 hold version 1).
  const columns = statsColumnsOf(JSON.parse(text) as StoredProfileDocument)
  return { answer: { kind: 'table', columns }, transfer: transferListOf(columns) }
}

/** The document's function rows, for its series rows. */
function functionsOf({ strings, functions: f }: ProfileDocumentV2): SeriesFunctionInput[] {
  return Array.from(f.line, (line, i) => ({
    file: strings[f.file[i]!]!,
    line,
    name: strings[f.name[i]!]!,
    ncalls: f.ncalls[i]!,
    primitiveCalls: f.primitiveCalls[i]!,
    tottime: f.tottime[i]!,
    cumtime: f.cumtime[i]!,
  }))
}

/** A stored document's profile, from its JSON bytes (checked when it was stored). */
function readStoredDocument(document: ArrayBuffer) {
  return readProfileDocument(
    JSON.parse(new TextDecoder().decode(document)) as StoredProfileDocument,
  )
}

/** Whole seconds of CPU for a 100k-function profile: never on the event loop. */
function formatExport(task: Extract<WorkerTask, { kind: 'export' }>): string {
  // Checked when it was stored (runs stored before formatVersion 2 hold version 1).
  const doc = JSON.parse(new TextDecoder().decode(task.document)) as StoredProfileDocument
  switch (task.format) {
    case 'csv':
      return formatStatsCsv(doc)
    case 'callgrind':
      return formatCallgrind(doc, { name: task.name })
    case 'speedscope':
      return formatSpeedscope(doc, { name: task.name })
  }
}

parentPort?.on('message', (task: WorkerTask) => {
  try {
    const { answer, transfer } = handle(task)
    parentPort?.postMessage(answer, transfer)
  } catch (error) {
    parentPort?.postMessage({
      kind: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    } satisfies WorkerAnswer)
  }
})
