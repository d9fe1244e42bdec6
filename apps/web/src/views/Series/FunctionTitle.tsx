import { displayText } from '../../display-text.ts'
import { functionParts, shortenMiddle } from './series-text.ts'
import common from '../common/common.module.css'
import styles from './Series.module.css'

/**
 * A function named the way a person looks for it: its name first, then where it is
 * (`parse_rule /app/rules.py:12`), the path cut in its middle past `max` characters. The full
 * text is the tooltip and the accessible name (untrusted text: escaped by `displayText`).
 */
export function FunctionTitle({
  fn,
  max = 60,
}: {
  fn: { file: string; line: number; name: string }
  max?: number
}) {
  const { name, where } = functionParts(fn)
  const full = displayText(`${name} ${where}`)
  const shown = shortenMiddle(where, max)
  const parts = (
    <>
      <bdi className={styles.fnName}>{displayText(name)}</bdi>{' '}
      <bdi className={styles.fnWhere}>{displayText(shown)}</bdi>
    </>
  )
  if (shown === where) {
    return (
      <span className={styles.fn} title={full}>
        {parts}
      </span>
    )
  }
  return (
    <span className={styles.fn} title={full}>
      <span className={common.visuallyHidden}>{full}</span>
      <span aria-hidden="true">{parts}</span>
    </span>
  )
}
