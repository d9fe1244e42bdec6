import type { ReactNode } from 'react'
import { Link } from './Link.tsx'
import styles from './AppHeader.module.css'

/** The thin bar on top of every page: the app's name (a link home) and page-specific actions. */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        profhub
      </Link>
      <div className={styles.actions}>{children}</div>
    </header>
  )
}
