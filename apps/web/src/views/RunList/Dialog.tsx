import { useEffect, useId, useRef, type ReactNode } from 'react'
import styles from './Dialog.module.css'

/**
 * An in-page modal dialog (the native `<dialog>` opened with showModal(): role `dialog`, the
 * page behind inert, focus kept inside, Escape closes). Rendered only while open; `onClose` is
 * called for Escape, and the caller unmounts it. Focus goes back where it was on close.
 */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: ReactNode
  onClose: () => void
  children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const onCloseRef = useRef(onClose)
  useEffect(() => {
    onCloseRef.current = onClose
  })

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.showModal()
    const onCancel = (event: Event) => {
      // Escape: let React unmount the dialog rather than the browser close it under React.
      event.preventDefault()
      onCloseRef.current()
    }
    dialog.addEventListener('cancel', onCancel)
    return () => {
      dialog.removeEventListener('cancel', onCancel)
      dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  return (
    <dialog ref={ref} className={styles.dialog} aria-labelledby={titleId}>
      <h2 id={titleId} className={styles.title}>
        {title}
      </h2>
      {children}
    </dialog>
  )
}
