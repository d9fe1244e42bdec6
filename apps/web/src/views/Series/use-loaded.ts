import { useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../api.ts'
import type { Loadable } from '../../store.ts'

/**
 * What `load` answers for `key`, loaded when the key changes and again on `retry`. The series
 * pages keep their answers here, not in the store: no other page reads them, and a visit
 * should show the series as it is now. An answer for a key (or attempt) no longer shown is
 * dropped; until the current one's arrives, the state is `loading`.
 */
export function useLoaded<T>(key: string, load: () => Promise<T>): [Loadable<T>, () => void] {
  const [attempt, setAttempt] = useState(0)
  const [answer, setAnswer] = useState<{ token: string; value: Loadable<T> } | null>(null)
  const token = `${attempt}\0${key}`
  useEffect(() => {
    let current = true
    load().then(
      (data) => current && setAnswer({ token, value: { status: 'ready', data } }),
      (error: unknown) =>
        current &&
        setAnswer({
          token,
          value: {
            status: 'error',
            error: error instanceof ApiError ? error : new ApiError(0, 'Error', String(error)),
          },
        }),
    )
    return () => {
      current = false
    }
    // `load` is a new function each render; `token` names what it loads and the attempt.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token])
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  return [answer?.token === token ? answer.value : { status: 'loading' }, retry]
}
