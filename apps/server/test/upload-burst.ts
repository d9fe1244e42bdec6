import { readFileSync, readdirSync } from 'node:fs'
import { fixturePath, readSummary } from '@profhub/fixtures'

/** One upload of a burst: its fixture files, and what the run it makes must hold. */
export interface PlannedUpload {
  files: string[]
  mode: 'separate' | 'merge'
  /** The run's name (the file name, or the merge's "<first> + N more"). */
  name: string
  /** The fixture whose pstats summary the run must report (for a merge, the file pstats made). */
  truth: string
}

const RULES = ['rules_cache1000.prof', 'rules_cache5000.prof', 'rules-py3.11.prof']
const MIXED = ['jsondoc-py3.11.prof', 'tokenizer-py3.11.prof', 'shapes-py3.11.prof']

// Small to large, cProfile, the `profile` module, yappi and 2.7, so that the burst's uploads
// finish at very different times: some are stored while others are still being converted.
const SINGLES = [
  'large-20k.prof',
  'recursion-py3.11.prof',
  'realworld-unittest-py3.11.prof',
  'jsondoc-yappi.prof',
  'hostile_names.prof',
  'threads-py2.7.prof',
  'large-20k.prof',
  'recursion-profile-py3.11.prof',
  'textdiff-py3.13.prof',
  'realworld-unittest-py3.11.prof',
  'hostile_names-py2.7.prof',
  'large-20k.prof',
  'jsondoc-py3.6.prof',
  'sorting-py3.12.prof',
  'tokenizer-py3.9.prof',
  'shapes-py3.8.prof',
  'large-20k.prof',
  'rules-py3.10.prof',
  'recursion-py2.7.prof',
  'threads-yappi.prof',
  'realworld-unittest-py3.11.prof',
  'textdiff-py2.7.prof',
  'jsondoc-py3.13.prof',
  'empty-py3.11.prof',
  'large-20k.prof',
  'rules_cache5000.prof',
]

/** 30 uploads: 26 single files (5 of them the 3.4 MB large-20k.prof) and 4 merges. */
export function burstPlan(): PlannedUpload[] {
  const singles: PlannedUpload[] = SINGLES.map((file) => ({
    files: [file],
    mode: 'separate',
    name: file,
    truth: file,
  }))
  const merge = (files: string[], truth: string): PlannedUpload => ({
    files,
    mode: 'merge',
    name: `${files[0]} + ${files.length - 1} more`,
    truth,
  })
  const merges = [
    merge(RULES, 'merged-rules-py3.11.prof'),
    merge(MIXED, 'merged-jsondoc-tokenizer-shapes-py3.11.prof'),
    merge(RULES, 'merged-rules-py3.11.prof'),
    merge(MIXED, 'merged-jsondoc-tokenizer-shapes-py3.11.prof'),
  ]
  // Merges spread through the burst rather than all at its end.
  return singles.flatMap((single, index) =>
    index % 7 === 3 && merges.length > 0 ? [merges.shift()!, single] : [single],
  )
}

/** The fixture's pstats summary, as the API's `summary` carries it. */
export function truthSummary(truth: string) {
  const { totalTime, totalCalls, primitiveCalls, functionCount } = readSummary(truth)
  return { totalTime, totalCalls, primitiveCalls, functionCount }
}

export function fixtureBytes(file: string): Buffer {
  return readFileSync(fixturePath(file))
}

/** The multipart body a browser or `profhub.py upload [--merge]` sends. */
export function uploadBody(upload: PlannedUpload): FormData {
  const form = new FormData()
  if (upload.mode === 'merge') form.append('mode', 'merge')
  for (const file of upload.files) form.append('file', new Blob([fixtureBytes(file)]), file)
  return form
}

/**
 * The processes whose parent is `pid` (Linux /proc): the shims and compressors a server ran.
 */
export function childProcesses(pid: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; the last ")" ends it.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (ppid === pid) children.push(Number(entry))
  }
  return children
}

/** Whether a process is still running (a zombie counts as gone: it runs nothing). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}
