import { useCallback, useEffect, useRef, useState } from 'react'
import type { RunSummary } from '@profhub/api'
import { ApiError, listRuns } from '../../api.ts'

/** Runs shown per search: the newest that match; typing more narrows them. */
export const SEARCH_LIMIT = 20
/** Keystrokes closer than this make one request. */
const DEBOUNCE_MS = 200

export type RunSearch =
  | { status: 'loading'; runs: RunSummary[]; more: boolean }
  | { status: 'ready'; runs: RunSummary[]; more: boolean }
  | { status: 'error'; runs: RunSummary[]; more: boolean; error: ApiError }

/**
 * Runs whose name contains `query` (`GET /api/runs?q=`, newest first), asked for a moment after
 * the last keystroke; an answer to an older query is dropped. `retry` asks again now (after the
 * access token was entered, say).
 */
export function useRunSearch(query: string): { search: RunSearch; retry: () => void } {
  // The answer, with the query and attempt it answers: any other is still loading.
  const [answer, setAnswer] = useState<{ key: string; search: RunSearch }>({
    key: '',
    search: { status: 'loading', runs: [], more: false },
  })
  const [attempt, setAttempt] = useState(0)
  const key = `${attempt}\n${query}`
  const latest = useRef(0)
  const first = useRef(true)

  useEffect(() => {
    const id = ++latest.current
    const run = () => {
      listRuns({ q: query.trim(), limit: SEARCH_LIMIT }).then(
        (page) => {
          if (id === latest.current)
            setAnswer({
              key,
              search: { status: 'ready', runs: page.runs, more: page.nextCursor !== null },
            })
        },
        (error: unknown) => {
          if (id !== latest.current) return
          const apiError =
            error instanceof ApiError ? error : new ApiError(0, 'Network Error', String(error))
          setAnswer(({ search: s }) => ({
            key,
            search: { status: 'error', runs: s.runs, more: s.more, error: apiError },
          }))
        },
      )
    }
    // The first list (the page opening) goes at once; typing waits for a pause.
    if (first.current) {
      first.current = false
      run()
      return
    }
    const timer = setTimeout(run, DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [query, attempt, key])

  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  const search: RunSearch =
    answer.key === key
      ? answer.search
      : { status: 'loading', runs: answer.search.runs, more: answer.search.more }
  return { search, retry }
}
