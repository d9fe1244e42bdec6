import { useRef, useState } from 'react'
import { formatDuration } from '@profhub/profile'
import type { RunSort, RunSummary } from '@profhub/api'
import { runFileUrl } from '../../api.ts'
import { displayText } from '../../display-text.ts'
import { formatCount } from '../../format.ts'
import { Link } from '../common/Link.tsx'
import { RelativeTime } from '../common/RelativeTime.tsx'
import { NameText } from '../common/FunctionName.tsx'
import { LabelChips } from '../Labels/Labels.tsx'
import { withLabel } from '../../run-list-url.ts'
import common from '../common/common.module.css'
import { DeleteRunDialog } from './DeleteRunDialog.tsx'
import { NoteEditor } from './NoteEditor.tsx'
import { ariaSort, formatNote, nextSort } from './run-list-logic.ts'
import { showRuns, toggleSelected, useRunListStore } from './run-list-state.ts'
import styles from './RunList.module.css'

/**
 * The runs, one row each: a checkbox to pick two for a comparison, the name (a link to the
 * run) with its note, numbers, and Download / Delete. Name, Uploaded and Total time sort on the
 * server (click again for the other order).
 */
export function RunTable({ runs }: { runs: RunSummary[] }) {
  const [deleting, setDeleting] = useState<RunSummary | null>(null)
  return (
    <>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col" className={styles.pick}>
              <span className={common.visuallyHidden}>Select</span>
            </th>
            <SortHeader column="name" label="Name" />
            <SortHeader column="created" label="Uploaded" className={styles.when} />
            <SortHeader
              column="totalTime"
              label="Total time"
              className={`${styles.num} ${styles.time}`}
            />
            <th scope="col" className={`${styles.num} ${styles.optional}`}>
              Calls
            </th>
            <th scope="col" className={`${styles.num} ${styles.optional}`}>
              Functions
            </th>
            <th scope="col" className={styles.actions}>
              <span className={common.visuallyHidden}>Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} onDelete={() => setDeleting(run)} />
          ))}
        </tbody>
      </table>
      {deleting && <DeleteRunDialog run={deleting} onClose={() => setDeleting(null)} />}
    </>
  )
}

function SortHeader({
  column,
  label,
  className,
}: {
  column: RunSort
  label: string
  className?: string
}) {
  const query = useRunListStore((s) => s.query)
  const sort = ariaSort(query, column)
  return (
    <th scope="col" aria-sort={sort} className={className}>
      <button
        type="button"
        className={styles.sortButton}
        data-sort={sort}
        onClick={() => showRuns({ ...query, ...nextSort(query, column) }, 'push')}
      >
        {label}
      </button>
    </th>
  )
}

/** A label chip clicked in the list: only the runs that have it (and the other filters). */
function pickLabel(label: string): void {
  const query = useRunListStore.getState().query
  showRuns({ ...query, labels: withLabel(query.labels, label) }, 'push')
}

function RunRow({ run, onDelete }: { run: RunSummary; onDelete: () => void }) {
  const selected = useRunListStore((s) => s.selected.some((r) => r.id === run.id))
  const [editing, setEditing] = useState(false)
  const editButton = useRef<HTMLButtonElement>(null)
  const name = displayText(run.name)
  const closeEditor = () => {
    setEditing(false)
    // The button is back only after this render.
    requestAnimationFrame(() => editButton.current?.focus())
  }
  return (
    <tr className={selected ? styles.selectedRow : undefined}>
      <td className={styles.pick}>
        <input
          type="checkbox"
          aria-label={`Select ${name}`}
          checked={selected}
          onChange={() => toggleSelected(run)}
        />
      </td>
      <td className={styles.name}>
        <Link href={`/runs/${encodeURIComponent(run.id)}`}>
          <NameText text={run.name} />
        </Link>
        <LabelChips labels={run.labels} onPick={pickLabel} />
        {editing ? (
          <NoteEditor run={run} onClose={closeEditor} />
        ) : (
          <div className={styles.noteRow}>
            {run.note !== '' && (
              <p className={styles.note} title={formatNote(run.note)}>
                {formatNote(run.note)}
              </p>
            )}
            <button
              ref={editButton}
              type="button"
              className={styles.linkButton}
              aria-label={`Edit note for ${name}`}
              onClick={() => setEditing(true)}
            >
              Edit note
            </button>
          </div>
        )}
      </td>
      <td className={styles.when}>
        <RelativeTime iso={run.createdAt} />
      </td>
      <td className={`${styles.num} ${styles.time}`}>{formatDuration(run.summary.totalTime)}</td>
      <td className={`${styles.num} ${styles.optional}`}>{formatCount(run.summary.totalCalls)}</td>
      <td className={`${styles.num} ${styles.optional}`}>
        {formatCount(run.summary.functionCount)}
      </td>
      <td className={styles.actions}>
        <a
          href={runFileUrl(run.id)}
          download
          className={styles.action}
          title="Download the uploaded .prof file"
        >
          Download
        </a>
        <button
          type="button"
          className={`${styles.action} ${styles.deleteButton}`}
          aria-label={`Delete ${name}`}
          onClick={onDelete}
        >
          Delete
        </button>
      </td>
    </tr>
  )
}
