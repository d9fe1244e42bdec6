import { execFile } from 'node:child_process'
import { cp, mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Stage } from './dockerfile.ts'

/**
 * One stage's image as a directory: `root` stands for the image's `/`, so the stage's
 * WORKDIR /app is `root/app`. RUN commands run on this machine (`/bin/sh -c`), in that directory.
 */
export interface StageResult {
  name: string
  root: string
  workdir: string
  env: Record<string, string>
  /** The RUN lines skipped (see isSystemSetup), for the test to report. */
  skipped: string[]
}

export interface StageInputs {
  /** The build context (the repository) and its `.dockerignore` predicate. */
  context: string
  ignored: (relativePath: string) => boolean
  /** Where this stage's `/` is made (an empty directory). */
  root: string
  /** Earlier stages, for `COPY --from`. */
  built: ReadonlyMap<string, StageResult>
  /** The environment RUN starts from (Docker's is PATH and HOME only, plus ENV). */
  baseEnv: Record<string, string>
}

/**
 * Commands that set up the machine rather than build profhub: system packages (apt-get; pnpm
 * with `npm install -g`, whose version the test compares with this machine's), and the
 * runtime's user and /data (the test runs as its own user, with a temp DATA_DIR). A RUN is
 * skipped only if every `&&` part of it is one of these.
 */
const SYSTEM_SETUP = [
  /^apt-get (update|install)\b/,
  /^rm -rf \/var\/lib\/apt\/lists\/\*$/,
  /^npm install -g pnpm@\S+$/,
  /^groupadd\b/,
  /^useradd\b/,
  /^mkdir \/data$/,
  /^chown \S+ \/data$/,
]

function isSystemSetup(command: string): boolean {
  return command.split('&&').every((part) => SYSTEM_SETUP.some((rule) => rule.test(part.trim())))
}

/** Runs a stage's COPY, RUN, ENV and WORKDIR steps in order; other instructions are metadata. */
export async function runStage(stage: Stage, inputs: StageInputs): Promise<StageResult> {
  const result: StageResult = {
    name: stage.name,
    root: inputs.root,
    workdir: '/',
    env: {},
    skipped: [],
  }
  const inImage = (imagePath: string) =>
    path.join(inputs.root, path.posix.resolve(result.workdir, imagePath))
  for (const step of stage.instructions) {
    switch (step.kind) {
      case 'WORKDIR':
        result.workdir = path.posix.resolve(result.workdir, step.dir)
        await mkdir(inImage('.'), { recursive: true })
        break
      case 'ENV':
        Object.assign(result.env, step.values)
        break
      case 'COPY': {
        const sources = step.sources.map((source) => {
          if (step.from === null) return { file: path.join(inputs.context, source), filter: true }
          const from = inputs.built.get(step.from)
          if (from === undefined) throw new Error(`line ${step.line}: no stage "${step.from}"`)
          return { file: path.join(from.root, path.posix.resolve('/', source)), filter: false }
        })
        const intoDir = step.dest.endsWith('/') || step.dest === '.' || sources.length > 1
        await copyAll(sources, inImage(step.dest), intoDir, inputs)
        break
      }
      case 'RUN':
        if (isSystemSetup(step.command)) {
          result.skipped.push(step.command)
          break
        }
        await runShell(step.command, inImage('.'), { ...inputs.baseEnv, ...result.env }, step.line)
        break
    }
  }
  return result
}

async function copyAll(
  sources: { file: string; filter: boolean }[],
  dest: string,
  intoDir: boolean,
  { context, ignored }: StageInputs,
): Promise<void> {
  const keep = (file: string) => {
    const relative = path.relative(context, file).split(path.sep).join('/')
    return relative === '' || !ignored(relative)
  }
  for (const source of sources) {
    if (source.filter && !keep(source.file)) {
      throw new Error(`COPY ${path.relative(context, source.file)}: left out by .dockerignore`)
    }
    // Throws ENOENT for a source that is not there, as `docker build` fails.
    const isDir = (await stat(source.file)).isDirectory()
    const target = isDir || !intoDir ? dest : path.join(dest, path.basename(source.file))
    await mkdir(isDir ? target : path.dirname(target), { recursive: true })
    await cp(source.file, target, {
      recursive: true,
      // pnpm's node_modules are relative symbolic links: copied as links, as COPY does.
      verbatimSymlinks: true,
      filter: source.filter ? keep : undefined,
    })
  }
}

function runShell(
  command: string,
  cwd: string,
  env: Record<string, string>,
  line: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // /bin/sh, as Docker runs a shell-form RUN: a bashism fails here as it would there.
    execFile(
      '/bin/sh',
      ['-c', command],
      { cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) resolve()
        else {
          const output = `${stdout}${stderr}`.slice(-4000)
          reject(new Error(`line ${line}: RUN ${command}\nfailed (${error.code}):\n${output}`))
        }
      },
    )
  })
}
