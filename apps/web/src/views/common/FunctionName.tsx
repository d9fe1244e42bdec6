import { splitFunctionLabel, type LabelParts } from '@profhub/profile'
import { displayText } from '../../display-text.ts'
import styles from './FunctionName.module.css'

export interface FunctionRef {
  file: string
  line: number
  name: string
}

/**
 * A function as pstats labels it (`/opt/app/fib.py:7(fib)`, `{built-in method len}`) on one
 * line: when space runs out the directory gives way first (cut from the left with an ellipsis),
 * then the base name, so the line and the function's name stay visible. The full text is the
 * element's text content (the accessible name is complete) and its tooltip.
 */
export function FunctionName({ fn, className }: { fn: FunctionRef; className?: string }) {
  return <EndFirstText parts={splitFunctionLabel(fn)} className={className} />
}

/** A file or run name on one line whose end (`…nightly-main.prof`) stays visible. */
export function NameText({ text, className }: { text: string; className?: string }) {
  return <EndFirstText parts={{ path: '', base: '', rest: text }} className={className} />
}

/**
 * The parts as one inline run (see the stylesheet), each in a span of its own so that tests can
 * find where the name is drawn. The text is untrusted: it goes through `displayText` as `Text`'s
 * does (escaping is per character, so the parts escaped one by one join into the whole escaped).
 */
function EndFirstText({ parts, className }: { parts: LabelParts; className?: string }) {
  const path = displayText(parts.path)
  const base = displayText(parts.base)
  const rest = displayText(parts.rest)
  const full = path + base + rest
  const classes = [styles.name, className].filter(Boolean).join(' ')
  return (
    <span className={classes} title={full}>
      <bdi dir="ltr" className={styles.run}>
        {path && <span>{path}</span>}
        {base && <span>{base}</span>}
        <span>{full === '' ? '\u00a0' : rest}</span>
      </bdi>
    </span>
  )
}
