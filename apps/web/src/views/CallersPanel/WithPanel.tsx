import type { ReactNode } from 'react'
import styles from './CallersPanel.module.css'

/** A view with the callers/callees panel beside it (below it on a narrow screen). */
export function WithPanel({ panel, children }: { panel: ReactNode; children: ReactNode }) {
  return (
    <div className={styles.beside}>
      {children}
      {panel}
    </div>
  )
}
