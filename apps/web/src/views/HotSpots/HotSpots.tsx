import { useId, useState } from 'react'
import { formatDuration, formatFunctionLabel, type ProfileDocument } from '@profhub/profile'
import { displayText } from '../../display-text.ts'
import { formatShare } from '../../node-text.ts'
import { FunctionName } from '../common/FunctionName.tsx'
import { computeHotSpots } from './hot-spots.ts'
import styles from './HotSpots.module.css'

const OPEN_KEY = 'profhub:hot-spots-open'

/** Whether the list was left open (it is unless closed): kept across tabs and reloads. */
function readOpen(): boolean {
  try {
    return localStorage.getItem(OPEN_KEY) !== 'false'
  } catch {
    return true
  }
}

function writeOpen(open: boolean): void {
  try {
    localStorage.setItem(OPEN_KEY, String(open))
  } catch {
    // Storage refused (private mode, quota): the choice lasts until the page goes.
  }
}

/**
 * The functions with the most own time, beside the charts: the hot spot of a profile is often
 * deeper than the charts' depth (a read at the bottom of a long call chain), so it is listed
 * whatever is drawn, and one click shows where it is called.
 */
export function HotSpots({
  profile,
  selectedIndex,
  onShow,
}: {
  profile: ProfileDocument
  selectedIndex: number | null
  /** Select the function and bring its heaviest occurrence into view. */
  onShow: (func: number) => void
}) {
  const [open, setOpen] = useState(readOpen)
  const headingId = useId()
  const listId = useId()
  const spots = computeHotSpots(profile.functions)
  const total = profile.summary.totalTime
  if (spots.length === 0) return null
  return (
    <aside className={styles.hotSpots} aria-labelledby={headingId}>
      <h2 id={headingId} className={styles.heading}>
        <button
          type="button"
          className={styles.toggle}
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => {
            setOpen(!open)
            writeOpen(!open)
          }}
        >
          Hot spots
        </button>
      </h2>
      {open && (
        <>
          <p className={styles.hint}>Most own time (tottime). Click to see where it is called.</p>
          <ol id={listId} aria-label="Hot spots" className={styles.list}>
            {spots.map((func) => {
              const fn = profile.functions[func]!
              const time = formatDuration(fn.tottime)
              const share = formatShare(fn.tottime, total)
              // Named in words: the name from content would run the label's parts together
              // with the numbers.
              const name = `${displayText(formatFunctionLabel(fn))}: ${time} own time, ${share} of the total`
              return (
                <li key={func}>
                  <button
                    type="button"
                    className={styles.entry}
                    aria-current={func === selectedIndex ? 'true' : undefined}
                    aria-label={name}
                    title="Show where it is called"
                    onClick={() => onShow(func)}
                  >
                    <FunctionName fn={fn} className={styles.name} />{' '}
                    <span className={styles.numbers}>
                      <span className={styles.time}>{time}</span> <span>{share}</span>
                    </span>
                  </button>
                </li>
              )
            })}
          </ol>
        </>
      )}
    </aside>
  )
}
