import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import type { Run } from '@profhub/api'
import type { ProfileDocument } from '@profhub/profile'
import { renameRun } from '../../actions.ts'
import { runSourceFileUrl } from '../../api.ts'
import { formatBytes, formatCount, formatPstatsHeader } from '../../format.ts'
import { CompareWith } from '../Compare/CompareWith.tsx'
import { CopyLinkButton } from '../Compare/CopyLinkButton.tsx'
import { NameText } from '../common/FunctionName.tsx'
import { RelativeTime } from '../common/RelativeTime.tsx'
import { runDetails } from '../../run-details.ts'
import { LabelChips } from '../Labels/Labels.tsx'
import { DownloadMenu } from './DownloadMenu.tsx'
import { RunEnvironment } from './RunEnvironment.tsx'
import common from '../common/common.module.css'
import styles from './RunHeader.module.css'

const MAX_NAME = 200

/** The run's name (an `h1`, renameable), its pstats summary line, where it came from. */
export function RunHeader({ run, profile }: { run: Run; profile: ProfileDocument }) {
  const summary = profile.summary
  const pythonVersion = profile.pythonVersion ?? run.source?.pythonVersion ?? null
  const environment = runDetails(run).environment
  return (
    <header className={common.pageHeader}>
      <div className={common.titleRow}>
        <RunName run={run} />
        <div className={styles.actions}>
          <CompareWith runId={run.id} />
          <CopyLinkButton />
          <DownloadMenu run={run} />
        </div>
      </div>
      <p className={styles.summary}>
        <span className={styles.pstats}>{formatPstatsHeader(summary)}</span>
        <span>{formatCount(summary.functionCount)} functions</span>
        <span>{run.sourceFormat}</span>
        {run.source && run.source.files.length <= 1 && (
          <span className={styles.source}>
            <NameText text={run.source.fileName} className={styles.fileName} />
            &nbsp;({formatBytes(run.source.fileSize)})
          </span>
        )}
        <span>
          uploaded <RelativeTime iso={run.createdAt} />
        </span>
      </p>
      {run.source && run.source.files.length > 1 && <MergedFrom run={run} />}
      <RunEnvironment environment={environment} fallbackPython={pythonVersion} />
      <LabelChips labels={run.labels} />
      {run.note !== '' && (
        <p className={styles.note}>
          <strong>Note: </strong>
          {/* A teammate's words, several lines maybe: shown as they wrote them, as text. */}
          <bdi>{run.note}</bdi>
        </p>
      )}
    </header>
  )
}

/**
 * A merged run's parts, each downloadable as uploaded: a list, its items apart in the text too
 * (`a.prof (9.6 KB), b.prof (12 KB)`), not only on screen.
 */
function MergedFrom({ run }: { run: Run }) {
  const files = run.source.files
  return (
    <div className={styles.merged}>
      <span id="merged-from">Merged from {files.length} files:</span>
      <ul className={styles.mergedFiles} aria-labelledby="merged-from">
        {files.map((file, index) => (
          <li key={index} className={styles.mergedFile}>
            <a className={styles.source} href={runSourceFileUrl(run.id, index)} download>
              <NameText text={file.fileName} className={styles.fileName} />
              &nbsp;({formatBytes(file.fileSize)})
            </a>
            {index < files.length - 1 && ', '}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The `h1`, with a Rename button that swaps it for an input: Enter saves, Escape cancels. */
function RunName({ run }: { run: Run }) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const renameButton = useRef<HTMLButtonElement>(null)

  const start = () => {
    setDraft(run.name)
    setError(null)
    setEditing(true)
  }
  const stop = () => {
    setEditing(false)
    setError(null)
    // Back to where the keyboard user was.
    requestAnimationFrame(() => renameButton.current?.focus())
  }
  const save = async (event: FormEvent) => {
    event.preventDefault()
    if (saving) return
    const name = draft.trim()
    if (name === '') return setError('A run needs a name.')
    if (name === run.name) return stop()
    setSaving(true)
    setError(null)
    try {
      await renameRun(run.id, name)
      stop()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setSaving(false)
    }
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      stop()
    }
  }

  if (!editing) {
    return (
      <div className={styles.nameRow}>
        <h1 className={styles.name}>
          <NameText text={run.name} />
        </h1>
        <button ref={renameButton} type="button" className={common.smallButton} onClick={start}>
          Rename
        </button>
      </div>
    )
  }
  return (
    <form className={styles.renameForm} onSubmit={(e) => void save(e)} onKeyDown={onKeyDown}>
      <input
        className={styles.nameInput}
        aria-label="Run name"
        value={draft}
        maxLength={MAX_NAME}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setDraft(e.target.value)}
        aria-invalid={error !== null}
        aria-describedby={error !== null ? 'rename-error' : undefined}
        disabled={saving}
      />
      <button type="submit" className={common.smallButton} disabled={saving}>
        Save
      </button>
      <button type="button" className={common.smallButton} onClick={stop} disabled={saving}>
        Cancel
      </button>
      {error !== null && (
        <p id="rename-error" role="alert" className={styles.renameError}>
          {error}
        </p>
      )}
    </form>
  )
}
