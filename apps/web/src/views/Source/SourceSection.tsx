import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { Run } from '@profhub/api'
import { formatDuration, type ProfileDocument } from '@profhub/profile'
import { ensureSourceLoaded, sourceKey } from '../../actions.ts'
import { formatBytes, formatCount, formatExactBytes } from '../../format.ts'
import { memoryByLine } from '../../memory.ts'
import { mayHaveSource } from '../../run-details.ts'
import { computeSourceWindow, displaySourceLine, splitSourceLines } from '../../source-lines.ts'
import { useAppStore } from '../../store.ts'
import { Text } from '../common/Text.tsx'
import { useRunMemory } from '../Memory/use-run-memory.ts'
import styles from './Source.module.css'

/**
 * The selected function's file as uploaded with the run (`profhub.py run` sends it): line
 * numbers, the def line marked with the function's times, each line's memory when the run has
 * a memory document. Text only (a `<pre>`), never markup. Built-ins have no source: nothing.
 */
export function SourceSection({
  run,
  profile,
  selected,
}: {
  run: Run
  profile: ProfileDocument
  selected: number
}) {
  const fn = profile.functions[selected]!
  const builtIn = fn.line <= 0 || fn.file === '~'
  const asks = !builtIn && mayHaveSource(run, fn.file)
  const key = sourceKey(run.id, fn.file)
  const source = useAppStore((s) => s.sources[key])
  useEffect(() => {
    if (asks) ensureSourceLoaded(run.id, fn.file)
  }, [asks, run.id, fn.file])
  if (builtIn) return null
  return (
    <section className={styles.section} aria-labelledby="source-heading">
      <h3 id="source-heading" className={styles.heading}>
        Source <Text text={fn.file} className={styles.file} />
      </h3>
      {!asks || (source?.status === 'ready' && source.data === null) ? (
        <NotUploaded />
      ) : source?.status === 'error' ? (
        <p role="alert" className={styles.note}>
          Could not load the source: {source.error.message}
        </p>
      ) : source?.status !== 'ready' || source.data === null ? (
        <p role="status" className={styles.note}>
          Loading the source…
        </p>
      ) : (
        <SourceLines
          key={`${fn.file}:${fn.line}`}
          run={run}
          text={source.data}
          file={fn.file}
          defLine={fn.line}
          times={`tottime ${formatDuration(fn.tottime)} · cumtime ${formatDuration(fn.cumtime)}`}
        />
      )}
    </section>
  )
}

function NotUploaded() {
  return (
    <p className={styles.note}>
      The source was not uploaded with this run.{' '}
      <code className={styles.command}>python profhub.py run your_script.py</code> sends your
      program’s own files with the profile (those under the current directory);{' '}
      <code className={styles.command}>--no-source</code> turns that off.
    </p>
  )
}

function SourceLines({
  run,
  text,
  file,
  defLine,
  times,
}: {
  run: Run
  text: string
  file: string
  defLine: number
  times: string
}) {
  const lines = useMemo(() => splitSourceLines(text), [text])
  const [whole, setWhole] = useState(false)
  const memory = useRunMemory(run)
  const memoryLines = useMemo(
    () =>
      memory.status === 'ready' && memory.data !== null
        ? memoryByLine(memory.data.lines, file)
        : null,
    [memory, file],
  )
  const { first, last } = computeSourceWindow(lines.length, defLine, whole)
  const pre = useRef<HTMLPreElement>(null)
  const defRow = useRef<HTMLSpanElement>(null)
  // The def line in the middle of the box (the box scrolls, not the page).
  useLayoutEffect(() => {
    const box = pre.current
    const row = defRow.current
    if (!box || !row) return
    box.scrollTop = Math.max(0, row.offsetTop - box.clientHeight / 3)
  }, [defLine, whole])
  const rows = []
  for (let n = first; n <= last; n++) {
    const isDef = n === defLine
    const mem = memoryLines?.get(n)
    rows.push(
      <span
        key={n}
        className={isDef ? `${styles.row} ${styles.def}` : styles.row}
        data-line={n}
        data-def={isDef ? 'true' : undefined}
      >
        <span className={styles.num} ref={isDef ? defRow : undefined}>
          {n}
        </span>
        {memoryLines !== null && (
          <span
            className={styles.mem}
            title={
              mem ? `${formatExactBytes(mem.size)} in ${formatCount(mem.count)} blocks` : undefined
            }
          >
            {mem ? formatBytes(mem.size) : ''}
          </span>
        )}
        <span className={styles.text}>
          {displaySourceLine(lines[n - 1] ?? '')}
          {isDef && <span className={styles.times}>{times}</span>}
        </span>
      </span>,
    )
  }
  return (
    <>
      {defLine > lines.length && (
        <p className={styles.note}>
          The file has {formatCount(lines.length)} lines, not {formatCount(defLine)}: it changed
          since the profile was made?
        </p>
      )}
      <pre ref={pre} className={styles.code} aria-label={`Source lines ${first} to ${last}`}>
        <code className={memoryLines === null ? styles.noMemory : undefined}>{rows}</code>
      </pre>
      {(first > 1 || last < lines.length) && (
        <button type="button" className={styles.whole} onClick={() => setWhole(true)}>
          Show the whole file ({formatCount(lines.length)} lines)
        </button>
      )}
    </>
  )
}
