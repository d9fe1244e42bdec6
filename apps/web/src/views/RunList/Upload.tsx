import { useEffect, useRef, useState, type ChangeEvent } from 'react'
import { dismissUploads, runPagePath, uploadFiles } from '../../actions.ts'
import { useAppStore, type Upload } from '../../store.ts'
import { Link } from '../common/Link.tsx'
import { Text } from '../common/Text.tsx'
import common from '../common/common.module.css'
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
    void uploadFiles(files)
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
      void uploadFiles(Array.from(event.dataTransfer?.files ?? []))
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

function percent(upload: Upload): number {
  return upload.total > 0 ? Math.min(100, Math.round((upload.loaded / upload.total) * 100)) : 0
}

function ProgressRow({ upload }: { upload: Upload }) {
  const value = percent(upload)
  const sent = upload.status === 'uploading' && value >= 100
  return (
    <li className={styles.progressRow}>
      <Text text={upload.fileName} className={styles.fileName} />
      <div
        role="progressbar"
        aria-label={`Uploading ${upload.fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={sent ? 'Reading the profile' : `${value}%`}
        className={styles.progress}
      >
        <div className={styles.progressFill} style={{ width: `${value}%` }} />
      </div>
      <span className={styles.progressText}>
        {upload.status === 'queued' ? 'Waiting' : sent ? 'Reading…' : `${value}%`}
      </span>
    </li>
  )
}

/** Progress of uploads in flight, errors, and (when several files went up) what was created. */
export function UploadStatus() {
  const uploads = useAppStore((s) => s.uploads)
  const active = uploads.filter((u) => u.status === 'uploading' || u.status === 'queued')
  const failed = uploads.filter((u) => u.status === 'error')
  const done = uploads.filter((u) => u.status === 'done')
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
        <div role="alert" className={styles.alert}>
          <ul>
            {failed.map((u) => (
              <li key={u.id}>
                <strong>
                  Could not upload “<Text text={u.fileName} className={styles.inlineName} />
                  ”.
                </strong>{' '}
                {u.error?.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {done.length > 0 && active.length === 0 && (
        <div className={styles.notice}>
          Uploaded{' '}
          {done.map((u, i) => (
            <span key={u.id}>
              {i > 0 && ', '}
              {u.run ? (
                <Link href={runPagePath(u.run)}>
                  <Text text={u.run.name} className={styles.inlineName} />
                </Link>
              ) : (
                u.fileName
              )}
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
