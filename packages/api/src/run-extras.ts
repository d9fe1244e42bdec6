import { Type, type Static } from 'typebox'

// The optional parts of `POST /api/runs` besides the profile: a memory document, the source of
// the program's own files, and what the run ran on. All three are JSON written by profhub.py
// (never pickle: `tracemalloc.Snapshot.dump` is refused), untrusted, and checked against these
// schemas by the server; unknown keys are dropped, every count and string is bounded.

/** Byte caps of the parts as sent (a bigger part is a 413 naming it). */
export const MEMORY_PART_MAX_BYTES = 4 * 1024 * 1024
export const SOURCE_PART_MAX_BYTES = 2 * 1024 * 1024
export const SOURCE_FILE_MAX_BYTES = 512 * 1024
export const ENVIRONMENT_PART_MAX_BYTES = 64 * 1024

export const MAX_MEMORY_LINES = 10_000
export const MAX_MEMORY_TRACEBACKS = 1_000
export const MAX_TRACEBACK_FRAMES = 100
export const MAX_SOURCE_FILES = 200
export const MAX_COMMAND_ITEMS = 256
/** Every string of the three parts except a source file's text. */
export const MAX_PART_STRING_LENGTH = 4096

/**
 * A file path as Python reports it (`co_filename`): any text but a NUL (no file system allows
 * one) or a bidirectional override (U+202A–U+202E, U+2066–U+2069), which would make a path
 * read differently from what it is.
 */
const PATH_PATTERN = '^[^\\u0000\\u202A-\\u202E\\u2066-\\u2069]*$'
/** Other strings: anything but a NUL. */
const TEXT_PATTERN = '^[^\\u0000]*$'

const PathSchema = Type.String({ maxLength: MAX_PART_STRING_LENGTH, pattern: PATH_PATTERN })
const TextSchema = Type.String({ maxLength: MAX_PART_STRING_LENGTH, pattern: TEXT_PATTERN })
const CountSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })

export const MemoryLineSchema = Type.Object({
  file: PathSchema,
  line: CountSchema,
  /** Bytes still allocated at the end of the run by this line. */
  size: CountSchema,
  /** Blocks still allocated at the end of the run by this line. */
  count: CountSchema,
})

export const MemoryFrameSchema = Type.Object({ file: PathSchema, line: CountSchema })

export const MemoryTracebackSchema = Type.Object({
  size: CountSchema,
  count: CountSchema,
  /** Most recent call first. */
  frames: Type.Array(MemoryFrameSchema, { maxItems: MAX_TRACEBACK_FRAMES }),
})

/**
 * `memory` (formatVersion 1): what `tracemalloc` saw, from `profhub.py run --memory`. Sizes are
 * bytes still held at the end of the run; the peak is a total only.
 */
export const MemoryDocumentSchema = Type.Object({
  formatVersion: Type.Literal(1),
  tool: Type.Literal('tracemalloc'),
  /** `tracemalloc.get_traced_memory()[1]` at the end. */
  peakBytes: CountSchema,
  /** `tracemalloc.get_traced_memory()[0]` at the end: memory still held. */
  finalBytes: CountSchema,
  /** Frames kept per allocation. */
  tracebackLimit: Type.Integer({ minimum: 1, maximum: 100 }),
  /** What tracing cost the run, as profhub.py measured or estimated it. */
  overheadNote: Type.Optional(Type.String({ maxLength: 500, pattern: TEXT_PATTERN })),
  /** `snapshot.statistics('lineno')`, biggest first. */
  lines: Type.Array(MemoryLineSchema, { maxItems: MAX_MEMORY_LINES }),
  /** `snapshot.statistics('traceback')`, biggest first. */
  tracebacks: Type.Array(MemoryTracebackSchema, { maxItems: MAX_MEMORY_TRACEBACKS }),
})

export const SourceBundleFileSchema = Type.Object({
  /** Exactly as the profile's `file` column has it. */
  path: PathSchema,
  /** The file's text (at most SOURCE_FILE_MAX_BYTES of UTF-8). */
  text: Type.String({ pattern: TEXT_PATTERN }),
})

/** `source` (formatVersion 1): the program's own files, as profhub.py read them. */
export const SourceBundleSchema = Type.Object({
  formatVersion: Type.Literal(1),
  files: Type.Array(SourceBundleFileSchema, { maxItems: MAX_SOURCE_FILES }),
})

/**
 * `environment` (formatVersion 1): what the run ran on. Every field but formatVersion is
 * optional. In answers, `guessed: true` marks one the server made from the profile itself (no
 * environment was uploaded): then `python.version` may be null and `profiler.name` is the
 * run's sourceFormat.
 */
export const RunEnvironmentSchema = Type.Object({
  formatVersion: Type.Literal(1),
  python: Type.Optional(
    Type.Object({
      version: Type.Optional(Type.Union([TextSchema, Type.Null()])),
      implementation: Type.Optional(TextSchema),
    }),
  ),
  platform: Type.Optional(
    Type.Object({
      system: Type.Optional(TextSchema),
      release: Type.Optional(TextSchema),
      machine: Type.Optional(TextSchema),
      node: Type.Optional(TextSchema),
    }),
  ),
  profiler: Type.Optional(
    Type.Object({
      name: Type.Optional(TextSchema),
      /** The timer the profiler used (`perf_counter`, `process_time`, …). */
      clock: Type.Optional(TextSchema),
    }),
  ),
  command: Type.Optional(Type.Array(TextSchema, { maxItems: MAX_COMMAND_ITEMS })),
  cwd: Type.Optional(PathSchema),
  git: Type.Optional(
    Type.Union([
      Type.Object({
        // SHA-1 (40 hex digits), or SHA-256 for repositories that use it.
        commit: Type.String({ pattern: '^([0-9a-f]{40}|[0-9a-f]{64})$' }),
        branch: Type.Optional(Type.Union([TextSchema, Type.Null()])),
        dirty: Type.Optional(Type.Boolean()),
      }),
      Type.Null(),
    ]),
  ),
  /** True when tracemalloc ran during the CPU profile (its times include tracing). */
  memory: Type.Optional(Type.Boolean()),
  /** Only in answers: made by the server from the profile, not uploaded. */
  guessed: Type.Optional(Type.Boolean()),
})

export const SourceQuerySchema = Type.Object({
  /** The path exactly as in the run's stats (`file`). */
  file: Type.String({ maxLength: 2 * MAX_PART_STRING_LENGTH }),
})

export type MemoryDocument = Static<typeof MemoryDocumentSchema>
export type MemoryLine = Static<typeof MemoryLineSchema>
export type MemoryTraceback = Static<typeof MemoryTracebackSchema>
export type SourceBundle = Static<typeof SourceBundleSchema>
export type SourceBundleFile = Static<typeof SourceBundleFileSchema>
export type RunEnvironment = Static<typeof RunEnvironmentSchema>
export type SourceQuery = Static<typeof SourceQuerySchema>
