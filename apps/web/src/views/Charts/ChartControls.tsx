import { useId, useState } from 'react'
import { CUTOFF_RANGE, DEPTH_RANGE, parseCutoff, parseDepth } from '../../url-state.ts'
import styles from './Charts.module.css'

/**
 * Depth and Cutoff. Each input keeps what is typed (an empty box mid-edit is fine) and applies
 * it once it is valid; leaving the box shows the value in use again.
 */
export function ChartControls({
  depth,
  cutoff,
  onDepth,
  onCutoff,
}: {
  depth: number
  cutoff: number
  onDepth: (depth: number) => void
  onCutoff: (cutoff: number) => void
}) {
  const id = useId()
  return (
    <div className={styles.controls}>
      <NumberField
        id={`${id}-depth`}
        label="Depth"
        value={depth}
        min={DEPTH_RANGE.min}
        max={DEPTH_RANGE.max}
        step={1}
        parse={parseDepth}
        onChange={onDepth}
        title="Levels drawn below the focused function"
      />
      <NumberField
        id={`${id}-cutoff`}
        label="Cutoff"
        unit="%"
        value={cutoff}
        min={CUTOFF_RANGE.min}
        max={CUTOFF_RANGE.max}
        step={0.05}
        parse={parseCutoff}
        onChange={onCutoff}
        title="Leave out calls under this share of the focused function’s time"
      />
    </div>
  )
}

function NumberField({
  id,
  label,
  unit,
  value,
  min,
  max,
  step,
  parse,
  onChange,
  title,
}: {
  id: string
  label: string
  unit?: string
  value: number
  min: number
  max: number
  step: number
  parse: (raw: string) => number | null
  onChange: (value: number) => void
  title: string
}) {
  const [draft, setDraft] = useState<string | null>(null)
  return (
    <span className={styles.field} title={title}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        className={styles.number}
        min={min}
        max={max}
        step={step}
        value={draft ?? String(value)}
        onChange={(event) => {
          setDraft(event.target.value)
          const parsed = parse(event.target.value.trim())
          if (parsed !== null && parsed !== value) onChange(parsed)
        }}
        onBlur={() => setDraft(null)}
      />
      {unit && <span aria-hidden="true">{unit}</span>}
    </span>
  )
}
