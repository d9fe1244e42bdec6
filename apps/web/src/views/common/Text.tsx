import { displayText } from '../../display-text.ts'
import styles from './common.module.css'

/**
 * Untrusted text (function, file and run names): control and bidi characters shown as escapes,
 * isolated from the surrounding text, on one line cut with an ellipsis (full text in the tooltip)
 * or, with `wrap`, broken anywhere so that a 5,000-character path stays inside its box.
 */
export function Text({
  text,
  className,
  wrap = false,
}: {
  text: string
  className?: string
  wrap?: boolean
}) {
  const shown = displayText(text)
  const classes = [wrap ? styles.wrap : styles.text, className].filter(Boolean).join(' ')
  return (
    <bdi className={classes} title={shown}>
      {shown === '' ? '\u00a0' : shown}
    </bdi>
  )
}
