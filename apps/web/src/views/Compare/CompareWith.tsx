import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react'
import type { RunSummary } from '@profhub/api'
import { loadRunList } from '../../actions.ts'
import { displayText } from '../../display-text.ts'
import { navigate } from '../../navigation.ts'
import { defaultCompareState, urlFromViewState } from '../../url-state.ts'
import { RelativeTime } from '../common/RelativeTime.tsx'
import common from '../common/common.module.css'
import styles from './Compare.module.css'
import comboStyles from './CompareWith.module.css'
import { SEARCH_LIMIT, useRunSearch } from './use-run-search.ts'

/**
 * "Compare with…" on a run page: a combobox (WAI-ARIA: an input with a listbox popup) that
 * searches every run by name as one types (`GET /api/runs?q=`), each option with its name, how
 * long ago it was uploaded and its note; then a Compare button that opens
 * `/compare/<this>/<chosen>` (this run is "before"). Arrows move through the options, Enter
 * picks one (with none under the arrows: the run of exactly the typed name, else the first),
 * Escape closes the list (then clears the text); a click picks too.
 * A button rather than navigating on a pick: arrowing through the options would otherwise leave
 * the page (WCAG 3.2.2).
 */
export function CompareWith({ runId }: { runId: string }) {
  const [text, setText] = useState('')
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState<RunSummary | null>(null)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const { search, retry } = useRunSearch(query)
  const id = useId()
  const listId = `${id}-runs`
  const optionId = (i: number) => `${id}-run-${i}`

  const options = search.runs.filter((run) => run.id !== runId)
  // A server with AUTH_TOKEN lists runs only for a token; a run link opens without one.
  const needsToken = search.status === 'error' && search.error.status === 401
  const placeholder = needsToken
    ? 'Listing runs needs the access token'
    : search.status === 'error'
      ? 'Could not load the runs'
      : 'Search runs by name…'

  useEffect(() => {
    if (open && active >= 0)
      document.getElementById(optionId(active))?.scrollIntoView?.({ block: 'nearest' })
  })

  const pick = (run: RunSummary) => {
    setChosen(run)
    setText(displayText(run.name))
    setOpen(false)
    setActive(-1)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const last = options.length - 1
      if (!open) setOpen(true)
      setActive((a) =>
        event.key === 'ArrowDown' ? Math.min(last, a + 1) : a < 0 ? last : Math.max(0, a - 1),
      )
    } else if (event.key === 'Enter' && open && options.length > 0) {
      event.preventDefault() // picks; a second Enter submits
      // The option the arrows are on; else the run of exactly that name, else the first.
      const typed = text.trim()
      pick(options[active] ?? options.find((run) => run.name === typed) ?? options[0]!)
    } else if (event.key === 'Escape') {
      if (open) setOpen(false)
      else {
        setText('')
        setQuery('')
        setChosen(null)
      }
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (chosen) navigate(urlFromViewState(defaultCompareState(runId, chosen.id)))
  }

  return (
    <form className={styles.compareWith} onSubmit={submit}>
      <label htmlFor={id}>Compare with</label>
      <div className={comboStyles.combo}>
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          autoComplete="off"
          spellCheck={false}
          className={comboStyles.input}
          placeholder={placeholder}
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            setQuery(e.target.value)
            setChosen(null)
            setOpen(true)
            setActive(-1)
          }}
          onClick={() => setOpen((o) => !o)}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <div className={comboStyles.popup} hidden={!open}>
          {/* mousedown would take the focus from the input (and close the list) before the click */}
          <ul
            id={listId}
            role="listbox"
            aria-label="Runs"
            className={comboStyles.list}
            onMouseDown={(e) => e.preventDefault()}
          >
            {options.map((run, i) => (
              <li
                key={run.id}
                id={optionId(i)}
                role="option"
                data-run-id={run.id}
                aria-selected={i === active}
                className={comboStyles.option}
                onClick={() => pick(run)}
                onMouseMove={() => setActive(i)}
              >
                <span className={comboStyles.name}>{displayText(run.name)}</span>
                <span className={comboStyles.meta}>
                  {' · '}
                  <RelativeTime iso={run.createdAt} />
                </span>
                {run.note !== '' && (
                  <span className={comboStyles.note}>
                    {' · '}
                    {displayText(run.note)}
                  </span>
                )}
              </li>
            ))}
          </ul>
          <p className={comboStyles.hint} aria-live="polite">
            {search.status === 'loading'
              ? 'Searching…'
              : needsToken
                ? 'Listing runs needs the access token.'
                : search.status === 'error'
                  ? `Could not load the runs. ${search.error.message}`
                  : options.length === 0
                    ? query.trim() === ''
                      ? 'No other runs yet.'
                      : 'No run’s name contains this.'
                    : search.more
                      ? `The newest ${SEARCH_LIMIT} that match; type more of a name to narrow.`
                      : ''}
          </p>
        </div>
      </div>
      {needsToken ? (
        <button
          type="button"
          className={common.smallButton}
          onClick={() => void loadRunList({ askToken: true }).then(retry)}
        >
          Enter access token
        </button>
      ) : (
        <button type="submit" className={common.smallButton} disabled={chosen === null}>
          Compare
        </button>
      )}
    </form>
  )
}
