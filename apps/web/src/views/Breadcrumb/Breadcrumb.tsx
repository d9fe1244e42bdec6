import { useEffect, useRef } from 'react'
import { Link } from '../common/Link.tsx'
import { Text } from '../common/Text.tsx'
import styles from './Breadcrumb.module.css'

export interface Crumb {
  label: string
  /** The full text when `label` is a short form (pstats' `file:line(function)`). */
  title?: string
  /** Absent on the last crumb (where you are). */
  href?: string
  onNavigate?: () => void
}

/**
 * The path from the root to what is in focus: "All functions" › root › … › the focused function
 * (the charts' focused call path), each crumb a link there. Deep paths scroll sideways, kept
 * scrolled to the end (where you are).
 */
export function Breadcrumb({ items }: { items: Crumb[] }) {
  const list = useRef<HTMLOListElement>(null)
  const depth = items.length
  useEffect(() => {
    const el = list.current
    if (el) el.scrollLeft = el.scrollWidth
  }, [depth])
  return (
    <nav aria-label="Breadcrumb" className={styles.nav}>
      <ol ref={list} className={styles.list}>
        {items.map((item, i) => {
          const last = i === items.length - 1
          return (
            <li key={i} className={styles.item} title={item.title}>
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
