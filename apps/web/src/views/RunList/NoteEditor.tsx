import { useState } from 'react'
import { MAX_NOTE_LENGTH, type RunSummary } from '@profhub/api'
import type { ApiError } from '../../api.ts'
import { countCharacters } from './run-list-logic.ts'
import { saveNote } from './run-list-state.ts'
import styles from './RunList.module.css'

/** A run's note, edited in its row: "Note", Save (or Ctrl/⌘+Enter), Cancel (or Escape). */
export function NoteEditor({ run, onClose }: { run: RunSummary; onClose: () => void }) {
  const [text, setText] = useState(run.note)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const length = countCharacters(text)
  const tooLong = length > MAX_NOTE_LENGTH

  const save = async () => {
    if (saving || tooLong) return
    if (text === run.note) return onClose()
    setSaving(true)
    setError(null)
    try {
      await saveNote(run.id, text)
      onClose()
    } catch (caught) {
      setError(caught as ApiError)
      setSaving(false)
    }
  }

  return (
    <form
      className={styles.noteEditor}
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <textarea
        aria-label="Note"
        className={styles.noteInput}
        value={text}
        rows={3}
        // Opened by the person's click on Edit note: typing goes straight in.
        autoFocus
        placeholder="What changed in this run, how it was measured…"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault()
            onClose()
          } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            void save()
          }
        }}
      />
      <div className={styles.noteButtons}>
        <span className={tooLong ? styles.noteCountOver : styles.noteCount}>
          {length.toLocaleString('en-US')} / {MAX_NOTE_LENGTH.toLocaleString('en-US')}
        </span>
        <button type="button" className={styles.smallButton} onClick={onClose}>
          Cancel
        </button>
        <button
          type="submit"
          className={`${styles.smallButton} ${styles.smallPrimary}`}
          disabled={saving || tooLong}
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p role="alert" className={styles.noteError}>
          Could not save the note. {error.message}
        </p>
      )}
    </form>
  )
}
