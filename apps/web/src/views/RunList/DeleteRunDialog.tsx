import { useState } from 'react'
import type { RunSummary } from '@profhub/api'
import type { ApiError } from '../../api.ts'
import { Text } from '../common/Text.tsx'
import { Dialog } from './Dialog.tsx'
import dialog from './Dialog.module.css'
import { deleteRun } from './run-list-state.ts'

/** "Delete run?": the run, its profile and its files go, for everyone who has the link. */
export function DeleteRunDialog({ run, onClose }: { run: RunSummary; onClose: () => void }) {
  const [deleting, setDeleting] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const confirm = async () => {
    setDeleting(true)
    setError(null)
    try {
      await deleteRun(run.id)
      onClose()
    } catch (caught) {
      setError(caught as ApiError)
      setDeleting(false)
    }
  }
  return (
    <Dialog title="Delete run?" onClose={onClose}>
      <p className={dialog.body}>
        “<Text text={run.name} className={dialog.inlineName} />” will be deleted with its profile
        and uploaded file, for everyone who has its link. This cannot be undone.
      </p>
      {error && (
        <p role="alert" className={dialog.error}>
          {error.message}
        </p>
      )}
      <div className={dialog.buttons}>
        {/* Focused first: Enter right after opening must not delete. */}
        <button type="button" className={dialog.button} autoFocus onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={`${dialog.button} ${dialog.danger}`}
          disabled={deleting}
          onClick={() => void confirm()}
        >
          {deleting ? 'Deleting…' : 'Delete run'}
        </button>
      </div>
    </Dialog>
  )
}
