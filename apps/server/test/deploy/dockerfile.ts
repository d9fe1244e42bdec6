import path from 'node:path'

// Reads the subset of the Dockerfile syntax our Dockerfile uses, so that a test can run its
// steps without a Docker engine. dockerfile-utils (the linter) has a parser, dockerfile-ast,
// but only as its own dependency: importing it from here would rely on pnpm's layout.
// Anything outside the subset (heredocs, wildcards in COPY, a changed escape character) is
// refused rather than guessed at.

export type Instruction =
  | { kind: 'COPY'; from: string | null; sources: string[]; dest: string; line: number }
  | { kind: 'RUN'; command: string; line: number }
  | { kind: 'ENV'; values: Record<string, string>; line: number }
  | { kind: 'WORKDIR'; dir: string; line: number }
  | { kind: 'USER'; user: string; line: number }
  | { kind: 'CMD'; argv: string[]; line: number }
  | { kind: 'HEALTHCHECK'; argv: string[]; line: number }
  /** EXPOSE, VOLUME, STOPSIGNAL, ARG inside a stage: kept for the tests to read. */
  | { kind: 'OTHER'; keyword: string; text: string; line: number }

export interface Stage {
  name: string
  image: string
  instructions: Instruction[]
}

/** The stages in order, with the global ARGs' defaults substituted in their FROM lines. */
export function parseDockerfile(text: string): Stage[] {
  const args: Record<string, string> = {}
  const stages: Stage[] = []
  for (const { keyword, rest, line } of splitInstructions(text)) {
    if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)
      if (!match) throw new Error(`line ${line}: FROM ${rest} is not "FROM image [AS name]"`)
      const image = match[1]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '')
      stages.push({ name: match[2] ?? String(stages.length), image, instructions: [] })
      continue
    }
    const stage = stages.at(-1)
    if (stage === undefined) {
      if (keyword !== 'ARG') throw new Error(`line ${line}: ${keyword} before the first FROM`)
      const [name, value = ''] = rest.split('=', 2)
      args[name!.trim()] = value.trim()
      continue
    }
    stage.instructions.push(parseInstruction(keyword, rest, line))
  }
  return stages
}

function parseInstruction(keyword: string, rest: string, line: number): Instruction {
  switch (keyword) {
    case 'COPY': {
      let body = rest
      let from: string | null = null
      for (let flag = /^--(\S+)\s+/.exec(body); flag; flag = /^--(\S+)\s+/.exec(body)) {
        if (flag[1]!.startsWith('from=')) from = flag[1]!.slice('from='.length)
        else if (!/^(chown|chmod)=|^link$/.test(flag[1]!)) {
          throw new Error(`line ${line}: COPY --${flag[1]} is not supported here`)
        }
        body = body.slice(flag[0].length)
      }
      const paths = body.startsWith('[') ? (JSON.parse(body) as string[]) : body.split(/\s+/)
      if (paths.length < 2 || paths.some((p) => /[*?[]/.test(p))) {
        throw new Error(`line ${line}: COPY needs plain sources and a destination: ${rest}`)
      }
      return { kind: 'COPY', from, sources: paths.slice(0, -1), dest: paths.at(-1)!, line }
    }
    case 'RUN':
      if (rest.startsWith('--') || rest.startsWith('<<')) {
        throw new Error(`line ${line}: RUN flags and heredocs are not supported here`)
      }
      return { kind: 'RUN', command: rest, line }
    case 'ENV':
      return { kind: 'ENV', values: parseEnv(rest, line), line }
    case 'WORKDIR':
      return { kind: 'WORKDIR', dir: rest, line }
    case 'USER':
      return { kind: 'USER', user: rest, line }
    case 'CMD':
      return { kind: 'CMD', argv: parseExecForm(rest, line), line }
    case 'HEALTHCHECK': {
      const match = /^(?:--\S+\s+)*CMD\s+(.*)$/s.exec(rest)
      if (!match) throw new Error(`line ${line}: HEALTHCHECK without CMD`)
      return { kind: 'HEALTHCHECK', argv: parseExecForm(match[1]!, line), line }
    }
    default:
      return { kind: 'OTHER', keyword, text: rest, line }
  }
}

/** `["node", "x.js"]`: the shell form would need /bin/sh as PID 1, which passes no signals. */
function parseExecForm(text: string, line: number): string[] {
  const argv: unknown = text.startsWith('[') ? JSON.parse(text) : null
  if (!Array.isArray(argv) || argv.some((word) => typeof word !== 'string')) {
    throw new Error(`line ${line}: expected the exec form ["program", "arg", …]: ${text}`)
  }
  return argv as string[]
}

/** `ENV A=1 B="two words"` (the `ENV A 1` form too). No `$VAR` expansion. */
function parseEnv(text: string, line: number): Record<string, string> {
  if (!text.includes('=')) {
    const [name, ...value] = text.split(/\s+/)
    return { [name!]: value.join(' ') }
  }
  const values: Record<string, string> = {}
  const pair = /\s*([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/y
  let match: RegExpExecArray | null
  while ((match = pair.exec(text)) !== null && match[0] !== '') {
    const raw = match[2]!
    values[match[1]!] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw
    if (pair.lastIndex === text.length) return values
  }
  throw new Error(`line ${line}: ENV ${text} is not NAME=value pairs`)
}

/** Joins continued lines (a trailing `\`), drops comments and blank lines. */
function splitInstructions(text: string): { keyword: string; rest: string; line: number }[] {
  if (/^#\s*escape\s*=/im.test(text)) throw new Error('an escape directive is not supported here')
  const result: { keyword: string; rest: string; line: number }[] = []
  let pending: { text: string; line: number } | null = null
  const lines = text.split('\n')
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim()
    // Docker skips comments and blank lines inside a continued instruction too.
    if (trimmed.startsWith('#') || trimmed === '') continue
    const continued = trimmed.endsWith('\\')
    const part = continued ? trimmed.slice(0, -1).trimEnd() : trimmed
    if (pending === null) pending = { text: part, line: index + 1 }
    else pending.text += ` ${part}`
    if (continued) continue
    const match = /^(\w+)\s+(.*)$/s.exec(pending.text)
    if (!match) throw new Error(`line ${pending.line}: cannot read "${pending.text}"`)
    result.push({ keyword: match[1]!.toUpperCase(), rest: match[2]!.trim(), line: pending.line })
    pending = null
  }
  if (pending !== null)
    throw new Error(`line ${pending.line}: the last instruction is not finished`)
  return result
}

/**
 * A predicate for `.dockerignore` (paths relative to the context, with `/`): `*`, `?` and
 * `**` as Docker reads them. A directory that matches is left out with everything in it, so
 * callers walk top-down and skip it. `!` exceptions are refused (we do not use them).
 */
export function parseDockerignore(text: string): (relativePath: string) => boolean {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((pattern) => {
      if (pattern.startsWith('!')) throw new Error(`.dockerignore: "${pattern}" is not supported`)
      const clean = path.posix.normalize(pattern.replace(/^\/+/, ''))
      const source = clean
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((token) => {
          if (token === '**/') return '(?:.*/)?'
          if (token === '**') return '.*'
          if (token === '*') return '[^/]*'
          if (token === '?') return '[^/]'
          return token.replace(/[.+^${}()|[\]\\]/g, '\\$&')
        })
        .join('')
      return new RegExp(`^${source}$`)
    })
  return (relativePath) => patterns.some((pattern) => pattern.test(relativePath))
}
