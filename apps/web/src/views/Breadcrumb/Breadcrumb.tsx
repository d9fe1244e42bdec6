import { useEffect, useRef } from 'react'
import { displayText } from '../../display-text.ts'
import { FunctionName, type FunctionRef } from '../common/FunctionName.tsx'
import { Link } from '../common/Link.tsx'
import { Text } from '../common/Text.tsx'
import common from '../common/common.module.css'
import styles from './Breadcrumb.module.css'

export interface Crumb {
  label: string
  /** The full text when `label` is a short form (pstats' `file:line(function)`). */
  title?: string
  /** The crumb's function: the last crumb shows it whole, its name and line always visible. */
  fn?: FunctionRef | null
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
          const text = last && item.fn ? <FunctionName fn={item.fn} /> : <CrumbText item={item} />
          return (
            <li key={i} className={styles.item}>
              {last || item.href === undefined ? (
                <span aria-current={last ? 'location' : undefined} className={styles.current}>
                  {text}
                </span>
              ) : (
                <Link href={item.href} onNavigate={item.onNavigate} className={styles.link}>
                  {text}
                </Link>
              )}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}

/** A crumb's (short) label, with the full label as its tooltip. */
function CrumbText({ item }: { item: Crumb }) {
  if (item.title === undefined) return <Text text={item.label} />
  const label = displayText(item.label)
  return (
    <bdi className={common.text} title={displayText(item.title)}>
      {label === '' ? '\u00a0' : label}
    </bdi>
  )
}
