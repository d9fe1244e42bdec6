import type { RunEnvironment } from './environment.ts'

/**
 * What `GET /api/runs/:id` tells beyond the contract's first fields: the environment, whether
 * there is a memory document, which files have source. Each may be missing from an older
 * server: `undefined` then means "ask", not "none".
 */
export interface RunDetails {
  environment?: RunEnvironment
  hasMemory?: boolean
  sourceFiles?: string[]
}

export function runDetails(run: object): RunDetails {
  return run as RunDetails
}

/** Whether to ask for the memory document: not when the server said there is none. */
export function mayHaveMemory(run: object): boolean {
  return runDetails(run).hasMemory !== false
}

/** Whether to ask for a file's source: not when the server listed the files that have some. */
export function mayHaveSource(run: object, file: string): boolean {
  const files = runDetails(run).sourceFiles
  return files === undefined || files.includes(file)
}
