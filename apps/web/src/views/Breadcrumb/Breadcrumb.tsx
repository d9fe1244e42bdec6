import { Link } from '../common/Link.tsx'
import { Text } from '../common/Text.tsx'
import styles from './Breadcrumb.module.css'

export interface Crumb {
  label: string
  /** Absent on the last crumb (where you are). */
  href?: string
  onNavigate?: () => void
}

/**
 * The path from the root to what is in focus: "All functions" › the selected function for now;
 * the charts will put the focused call path here.
 */
export function Breadcrumb({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className={styles.nav}>
      <ol className={styles.list}>
        {items.map((item, i) => {
          const last = i === items.length - 1
          return (
            <li key={i} className={styles.item}>
              {last || item.href === undefined ? (
                <span aria-current={last ? 'location' : undefined} className={styles.current}>
                  <Text text={item.label} />
                </span>
              ) : (
                <Link href={item.href} onNavigate={item.onNavigate} className={styles.link}>
                  <Text text={item.label} />
                </Link>
              )}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
