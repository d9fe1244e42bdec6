import { useEffect, useState } from 'react'
import { navigate } from '../../navigation.ts'
import { useAppStore } from '../../store.ts'
import { AppHeader } from '../common/AppHeader.tsx'
import { Text } from '../common/Text.tsx'
import { useDocumentTitle } from '../common/use-document-title.ts'
import { LabelFilters } from '../Labels/Labels.tsx'
import { EmptyRunList } from './EmptyRunList.tsx'
import { compareHref } from './run-list-logic.ts'
import {
  clearSelection,
  loadMoreRuns,
  loadRuns,
  showRuns,
  showRunsFromUrl,
  useRunListStore,
} from './run-list-state.ts'
import { RunTable } from './RunTable.tsx'
import {
  DropOverlay,
  UploadButton,
  UploadChoice,
  UploadStatus,
  useWindowFileDrop,
} from './Upload.tsx'
import common from '../common/common.module.css'
import styles from './RunList.module.css'

/** How long typing pauses before the search goes to the server. */
const SEARCH_DELAY = 250

/** `/`: the team's runs (search, sort, compare two, notes, delete) and the ways in. */
export function RunList() {
  useDocumentTitle('Runs')
  const list = useRunListStore()
  const dragging = useWindowFileDrop()

  // The URL says what to list: on a visit, Back/Forward and links to `/` (each a new route).
  const route = useAppStore((s) => s.route)
  useEffect(() => {
    showRunsFromUrl()
  }, [route])

  const searching = list.query.q !== '' || list.query.labels.length > 0
  return (
    <>
      <AppHeader />
      <main className={styles.page}>
        <div className={styles.titleRow}>
          <h1>Runs</h1>
          <UploadButton />
        </div>
        <p className={styles.hint}>
          Drop <code>.prof</code> files anywhere on this page, or press Upload profile. Several
          files at once can be merged into one run.
        </p>
        <UploadStatus />
        <div className={styles.toolbar}>
          <SearchBox />
          <LabelFilters
            labels={list.query.labels}
            onChange={(labels) => showRuns({ ...list.query, labels }, 'push')}
          />
          <CompareBar />
        </div>
        {list.status === 'error' && list.runs.length === 0 ? (
          <div role="alert" className={common.errorBox}>
            Could not load the runs. {list.error?.message}{' '}
            <button type="button" onClick={() => void loadRuns()}>
              {/* Cancelled the token prompt: this opens it again. */}
              {list.error?.status === 401 ? 'Enter access token' : 'Try again'}
            </button>
          </div>
        ) : list.status === 'ready' && list.runs.length === 0 ? (
          searching ? (
            <p role="status" className={styles.noMatch}>
              {list.query.q !== '' ? (
                <>
                  No run’s name contains “
                  <Text text={list.query.q} className={styles.inlineText} />”
                  {list.query.labels.length > 0 && ' with these labels'}.
                </>
              ) : (
                'No run has these labels.'
              )}
            </p>
          ) : (
            <EmptyRunList />
          )
        ) : list.runs.length === 0 ? (
          <p role="status" className={styles.loading}>
            Loading runs…
          </p>
        ) : (
          <>
            <RunTable runs={list.runs} />
            {list.error && (
              <p role="alert" className={common.errorBox}>
                {list.error.message}
              </p>
            )}
            {list.nextCursor !== null && (
              <button
                type="button"
                className={styles.more}
                disabled={list.loadingMore}
                onClick={() => void loadMoreRuns()}
              >
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
      </main>
      <UploadChoice />
      {dragging && <DropOverlay />}
    </>
  )
}

/** "Search runs": filters by name on the server, once typing pauses. */
function SearchBox() {
  const query = useRunListStore((s) => s.query)
  const [text, setText] = useState(query.q)
  // A search from elsewhere (Back, a link) replaces the text; the search this box sent keeps it
  // as typed (with its trailing space, while typing on).
  const [shownQ, setShownQ] = useState(query.q)
  if (shownQ !== query.q) {
    setShownQ(query.q)
    if (text.trim() !== query.q) setText(query.q)
  }
  useEffect(() => {
    const q = text.trim()
    if (q === query.q) return
    const timer = setTimeout(() => showRuns({ ...query, q }, 'replace'), SEARCH_DELAY)
    return () => clearTimeout(timer)
  }, [text, query])
  return (
    <input
      type="search"
      className={styles.search}
      aria-label="Search runs"
      placeholder="Search runs by name"
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        // Enter searches at once.
        if (event.key === 'Enter' && text.trim() !== query.q) {
          showRuns({ ...query, q: text.trim() }, 'replace')
        }
      }}
    />
  )
}

/** "Compare selected": exactly two runs picked with their checkboxes. */
function CompareBar() {
  const selected = useRunListStore((s) => s.selected)
  const [a, b] = selected
  const ready = selected.length === 2 && a !== undefined && b !== undefined
  return (
    <div className={styles.compare}>
      <span className={styles.compareHint} aria-live="polite">
        {selected.length === 0
          ? 'Select two runs to compare them.'
          : selected.length === 1
            ? '1 run selected: select one more.'
            : selected.length === 2
              ? '2 runs selected.'
              : `${selected.length} runs selected: compare takes two.`}
      </span>
      {selected.length > 0 && (
        <button type="button" className={styles.clear} onClick={clearSelection}>
          Clear selection
        </button>
      )}
      <button
        type="button"
        className={styles.compareButton}
        disabled={!ready}
        onClick={() => ready && navigate(compareHref(a, b))}
      >
        Compare selected
      </button>
    </div>
  )
}
