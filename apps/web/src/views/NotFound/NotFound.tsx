import { AppHeader } from '../common/AppHeader.tsx'
import { Link } from '../common/Link.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import styles from './NotFound.module.css'

export function NotFound() {
  useDocumentTitle('Page not found')
  return (
    <>
      <AppHeader />
      <main className={styles.page}>
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <p>
          <Link href="/">See all runs</Link>
        </p>
      </main>
    </>
  )
}

/** A run that the server does not know: never uploaded, mistyped, or deleted. */
export function RunNotFound() {
  useDocumentTitle('Run not found')
  return (
    <>
      <AppHeader />
      <main className={styles.page}>
        <h1>Run not found</h1>
        <p>This run does not exist (or was deleted).</p>
        <p>
          <Link href="/">See all runs</Link>
        </p>
      </main>
    </>
  )
}
