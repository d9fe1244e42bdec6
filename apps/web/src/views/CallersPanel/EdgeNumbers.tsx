import type { EdgeRow, NumberCell, NumberCells } from './edge-rows.ts'
import styles from './EdgeNumbers.module.css'

export const NUMBER_COLUMNS = ['ncalls', 'tottime', 'cumtime'] as const

/**
 * One number of an edge or function: a run's value, or (comparing) before → after and the
 * change, each part titled (`cumtime before`) so it can be told apart without the header.
 */
export function NumberCellView({ label, cell }: { label: string; cell: NumberCell }) {
  if (cell.kind === 'run') {
    return (
      <span className={styles.num} title={label}>
        {cell.value}
      </span>
    )
  }
  const signClass = cell.sign > 0 ? styles.slower : cell.sign < 0 ? styles.faster : ''
  return (
    <span className={styles.pair}>
      <span className={styles.num} title={`${label} before`}>
        {cell.before ?? '–'}
      </span>
      <span className={styles.arrow} aria-hidden="true">
        →
      </span>
      <span className={styles.num} title={`${label} after`}>
        {cell.after ?? '–'}
      </span>
      <span className={`${styles.num} ${styles.change} ${signClass}`} title={`${label} change`}>
        ({cell.change})
      </span>
    </span>
  )
}

/** The three numbers as a definition list (the selected function's own numbers). */
export function FunctionNumbers({ cells, className }: { cells: NumberCells; className?: string }) {
  return (
    <dl className={[styles.stats, className].filter(Boolean).join(' ')}>
      {NUMBER_COLUMNS.map((column) => (
        <div key={column}>
          <dt>{column}</dt>
          <dd>
            <NumberCellView label={column} cell={cells[column]} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

/** Says which run an edge is missing from (comparing). */
export function OnlyBadge({ only }: { only: EdgeRow['only'] }) {
  if (only === null) return null
  return (
    <span className={styles.badge}>
      {only === 'after' ? 'only in the second run' : 'only in the first run'}
    </span>
  )
}
