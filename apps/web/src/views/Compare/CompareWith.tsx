import { useEffect, useId, useState, type FormEvent } from 'react'
import { loadRunList } from '../../actions.ts'
import { displayText } from '../../display-text.ts'
import { formatAbsoluteTime } from '../../format.ts'
import { navigate } from '../../navigation.ts'
import { useAppStore } from '../../store.ts'
import { defaultCompareState, urlFromViewState } from '../../url-state.ts'
import styles from './Compare.module.css'

/**
 * "Compare with…" on a run page: another run (the newest first, as `GET /api/runs` lists them)
 * and a Compare button that opens `/compare/<this>/<chosen>` (this run is "before").
 * A button rather than navigating on `change`: keyboard users arrow through a closed select, and
 * each arrow would leave the page (WCAG 3.2.2).
 */
export function CompareWith({ runId }: { runId: string }) {
  const list = useAppStore((s) => s.runList)
  const [chosen, setChosen] = useState('')
  const id = useId()

  useEffect(() => {
    void loadRunList()
  }, [])

  const others = list.runs.filter((run) => run.id !== runId)
  // Runs of one name (profile.prof, again and again) are told apart by when they were uploaded.
  const seen = new Map<string, number>()
  for (const run of others) seen.set(run.name, (seen.get(run.name) ?? 0) + 1)
  const label = (run: (typeof others)[number]) => {
    const name = displayText(run.name)
    return seen.get(run.name)! > 1 ? `${name} · ${formatAbsoluteTime(run.createdAt)}` : name
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (chosen !== '') navigate(urlFromViewState(defaultCompareState(runId, chosen)))
  }

  // A server with AUTH_TOKEN lists runs only for a token; a run link opens without one.
  const needsToken = list.status === 'error' && list.error?.status === 401
  const placeholder =
    list.status === 'loading' && others.length === 0
      ? 'Loading runs…'
      : needsToken
        ? 'Listing runs needs the access token'
        : list.status === 'error' && others.length === 0
          ? 'Could not load the runs'
          : others.length === 0
            ? 'No other runs yet'
            : 'Choose a run…'
  return (
    <form className={styles.compareWith} onSubmit={submit}>
      <label htmlFor={id}>Compare with</label>
      <select
        id={id}
        className={styles.select}
        value={chosen}
        onChange={(e) => setChosen(e.target.value)}
      >
        <option value="">{placeholder}</option>
        {others.map((run) => (
          <option key={run.id} value={run.id}>
            {label(run)}
          </option>
        ))}
      </select>
      {needsToken ? (
        <button
          type="button"
          className={styles.smallButton}
          onClick={() => void loadRunList({ askToken: true })}
        >
          Enter access token
        </button>
      ) : (
        <button type="submit" className={styles.smallButton} disabled={chosen === ''}>
          Compare
        </button>
      )}
    </form>
  )
}
