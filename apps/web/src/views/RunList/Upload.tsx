import { useEffect, useRef, useState, type ChangeEvent } from 'react'
import { MAX_FILES_PER_UPLOAD } from '@profhub/api'
import { Link } from '../common/Link.tsx'
import { NameText } from '../common/FunctionName.tsx'
import { Text } from '../common/Text.tsx'
import common from '../common/common.module.css'
import { Dialog } from './Dialog.tsx'
import dialog from './Dialog.module.css'
import { formatFileList } from './run-list-logic.ts'
import {
  answerPendingFiles,
  chooseFiles,
  dismissUploads,
  runPagePath,
  useRunListStore,
  type UploadBatch,
} from './run-list-state.ts'
import styles from './Upload.module.css'

/**
 * The file picker also accepts other names: pstats files have no fixed extension, and the
 * picker's "All files" choice stays available for the rest.
 */
const ACCEPT = '.prof,.pstats,.profile,.cprof,.cprofile,.stats,.out'

/** "Upload profile": a real button that opens a visually hidden (but labelled) file input. */
export function UploadButton() {
  const input = useRef<HTMLInputElement>(null)
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? [])
    event.target.value = '' // picking the same file again must fire `change` again
    chooseFiles(files)
  }
  return (
    <>
      <button type="button" className={styles.uploadButton} onClick={() => input.current?.click()}>
        Upload profile
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        aria-label="Profile file"
        tabIndex={-1}
        className={common.visuallyHidden}
        onChange={onChange}
      />
    </>
  )
}

/** True while files are dragged over the window; dropping them anywhere uploads them. */
export function useWindowFileDrop(): boolean {
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    // dragenter/dragleave fire for every element crossed: count them to know when the drag
    // really left the window.
    let depth = 0
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      depth++
      setDragging(true)
    }
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
      setDragging(true)
    }
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      depth = 0
      setDragging(false)
      chooseFiles(Array.from(event.dataTransfer?.files ?? []))
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('dragover', onOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [])
  return dragging
}

export function DropOverlay() {
  return (
    <div className={styles.overlay}>
      <div className={styles.overlayCard}>Drop to upload</div>
    </div>
  )
}

/**
 * Several files dropped or picked together: one run merged from all of them (as
 * `pstats.Stats(a).add(b, …)` would), or one run each. Both go up as one request.
 */
export function UploadChoice() {
  const files = useRunListStore((s) => s.pendingFiles)
  if (files === null) return null
  const tooMany = files.length > MAX_FILES_PER_UPLOAD
  return (
    <Dialog title={`Upload ${files.length} files`} onClose={() => answerPendingFiles(null)}>
      <ul className={dialog.fileList} aria-label="Files to upload">
        {files.map((file, i) => (
          <li key={i}>
            <NameText text={file.name} />
          </li>
        ))}
      </ul>
      <p className={dialog.body}>
        Merge them into one run (their calls and times added up, like pstats’ <code>add()</code>
        ), or keep each file as a run of its own?
      </p>
      {tooMany && (
        <p className={dialog.error} role="alert">
          At most {MAX_FILES_PER_UPLOAD} files can go up together: choose fewer.
        </p>
      )}
      <div className={dialog.buttons}>
        <button type="button" className={dialog.button} onClick={() => answerPendingFiles(null)}>
          Cancel
        </button>
        <button
          type="button"
          className={dialog.button}
          disabled={tooMany}
          onClick={() => answerPendingFiles('separate')}
        >
          Keep as separate runs
        </button>
        <button
          type="button"
          className={`${dialog.button} ${dialog.primary}`}
          disabled={tooMany}
          onClick={() => answerPendingFiles('merge')}
        >
          Merge into one run
        </button>
      </div>
    </Dialog>
  )
}

function percent(upload: UploadBatch): number {
  return upload.total > 0 ? Math.min(100, Math.round((upload.loaded / upload.total) * 100)) : 0
}

function ProgressRow({ upload }: { upload: UploadBatch }) {
  const value = percent(upload)
  const sent = value >= 100
  const label = formatFileList(upload.fileNames)
  return (
    <li className={styles.progressRow}>
      <Text text={label} className={styles.fileName} />
      <div
        role="progressbar"
        aria-label={`Uploading ${label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={sent ? 'Reading the profile' : `${value}%`}
        className={styles.progress}
      >
        <div className={styles.progressFill} style={{ width: `${value}%` }} />
      </div>
      <span className={styles.progressText}>{sent ? 'Reading…' : `${value}%`}</span>
    </li>
  )
}

/** The names of a batch's files, each quoted: “a.prof”, “b.prof”. */
function FileNames({ names }: { names: string[] }) {
  return (
    <>
      {names.map((name, i) => (
        <span key={i}>
          {i > 0 && ', '}“<Text text={name} className={styles.inlineName} />”
        </span>
      ))}
    </>
  )
}

/** Progress of uploads in flight, errors, and (when several runs were made) what was created. */
export function UploadStatus() {
  const uploads = useRunListStore((s) => s.uploads)
  const active = uploads.filter((u) => u.status === 'uploading')
  const failed = uploads.filter((u) => u.status === 'error')
  const created = uploads.flatMap((u) => (u.status === 'done' ? (u.runs ?? []) : []))
  if (uploads.length === 0) return null
  return (
    <div className={styles.status}>
      {active.length > 0 && (
        <ul className={styles.progressList} aria-label="Uploads in progress">
          {active.map((u) => (
            <ProgressRow key={u.id} upload={u} />
          ))}
        </ul>
      )}
      {failed.length > 0 && (
        <div role="alert" className={`${common.errorBox} ${styles.alert}`}>
          <ul>
            {failed.map((u) => (
              <li key={u.id}>
                <strong>
                  {u.fileNames.length > 1 ? (
                    // An upload of several files is stored whole or not at all.
                    <>
                      Nothing was uploaded from <FileNames names={u.fileNames} />.
                    </>
                  ) : (
                    <>
                      Could not upload <FileNames names={u.fileNames} />.
                    </>
                  )}
                </strong>{' '}
                {u.error?.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {created.length > 0 && active.length === 0 && (
        <div className={styles.notice}>
          Uploaded{' '}
          {created.map((run, i) => (
            <span key={run.id}>
              {i > 0 && ', '}
              <Link href={runPagePath(run)}>
                <Text text={run.name} className={styles.inlineName} />
              </Link>
            </span>
          ))}
          .
        </div>
      )}
      {active.length === 0 && (
        <button type="button" className={styles.dismiss} onClick={dismissUploads}>
          Dismiss
        </button>
      )}
    </div>
  )
}
