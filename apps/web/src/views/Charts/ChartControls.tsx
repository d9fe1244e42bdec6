import { useId, useState } from 'react'
import { CUTOFF_RANGE, DEPTH_RANGE, parseCutoff, parseDepth } from '../../url-state.ts'
import styles from './Charts.module.css'

/** A short note beside a control: what it hides, and a button that shows it. */
export interface ControlNote {
  text: string
  label: string
  onShow: () => void
}

/**
 * Depth and Cutoff. Each input keeps what is typed (an empty box mid-edit is fine) and applies
 * it once it is valid; leaving the box shows the value in use again. A number past the range is
 * not ignored: the nearest allowed value is used, shown in the box, and a note says so.
 */
export function ChartControls({
  depth,
  cutoff,
  onDepth,
  onCutoff,
  depthNote,
  cutoffNote,
}: {
  depth: number
  cutoff: number
  onDepth: (depth: number) => void
  onCutoff: (cutoff: number) => void
  depthNote?: ControlNote | null
  cutoffNote?: ControlNote | null
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
        note={depthNote}
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
        note={cutoffNote}
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
  note,
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
  note?: ControlNote | null
}) {
  const [draft, setDraft] = useState<string | null>(null)
  // What was typed past the range, said while the value used is the one it was clamped to.
  const [clamped, setClamped] = useState<{ text: string; value: number } | null>(null)
  const unitText = unit ? ` ${unit}` : ''
  return (
    <span className={styles.field}>
      <label htmlFor={id} title={title}>
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        className={styles.number}
        min={min}
        max={max}
        step={step}
        title={title}
        value={draft ?? String(value)}
        onChange={(event) => {
          const raw = event.target.value.trim()
          const parsed = parse(raw)
          const outside = parsed === null ? clampToRange(raw, min, max) : null
          if (outside !== null) {
            // Past the range: use the nearest allowed value and show it, not what was typed.
            setDraft(null)
            const bound = outside === max ? 'at most' : 'at least'
            setClamped({
              text: `${label} ${raw}${unitText} is out of range: ${bound} ${outside}${unitText}`,
              value: outside,
            })
            if (outside !== value) onChange(outside)
            return
          }
          setDraft(event.target.value)
          setClamped(null)
          if (parsed !== null && parsed !== value) onChange(parsed)
        }}
        onBlur={() => setDraft(null)}
      />
      {unit && <span aria-hidden="true">{unit}</span>}
      {clamped && clamped.value === value && (
        <span role="status" className={styles.controlNote}>
          {clamped.text}
        </span>
      )}
      {note && (
        <span className={styles.controlNote}>
          {note.text}{' '}
          <button type="button" className={styles.noteButton} onClick={note.onShow}>
            {note.label}
          </button>
        </span>
      )}
    </span>
  )
}

/** The range's nearer end when `raw` is a number outside it; null for anything else. */
export function clampToRange(raw: string, min: number, max: number): number | null {
  if (!/^-?(?:\d+(?:\.\d*)?|\.\d+)$/.test(raw)) return null
  const n = Number(raw)
  if (n > max) return max
  if (n < min) return min
  return null
}
