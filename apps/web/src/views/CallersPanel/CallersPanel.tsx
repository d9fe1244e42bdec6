import { useState } from 'react'
import {
  filterStatRows,
  formatNcalls,
  formatSeconds,
  type CallEdge,
  type ProfileDocument,
} from '@profhub/profile'
import type { HistoryMode } from '../../navigation.ts'
import { compareEdges, type ProfileIndex } from '../../profile-index.ts'
import { selectTableRow } from '../../selectors.ts'
import { Text } from '../common/Text.tsx'
import styles from './CallersPanel.module.css'

/** Functions like `len` have thousands of callers: show the first ones, the rest on request. */
const FIRST = 200

interface CallersPanelProps {
  profile: ProfileDocument
  index: ProfileIndex
  selected: number
  search: string
  onSelect: (key: string | null, mode: HistoryMode) => void
}

/** The selected function's own numbers, who called it and what it called (pstats' callers/callees). */
export function CallersPanel({ profile, index, selected, search, onSelect }: CallersPanelProps) {
  // One row, built on demand: building every row on the first selection took ~120 ms (100k).
  const row = selectTableRow(profile, selected)
  const hiddenByFilter = filterStatRows([row], search).length === 0

  return (
    <aside className={styles.panel} aria-label="Callers and callees">
      <div className={styles.head}>
        <h2 className={styles.title}>
          <Text text={row.label} wrap />
        </h2>
        <button
          type="button"
          className={styles.close}
          aria-label="Close callers and callees"
          title="Close"
          onClick={() => onSelect(null, 'push')}
        >
          ×
        </button>
      </div>
      <dl className={styles.stats}>
        <div>
          <dt>ncalls</dt>
          <dd>{formatNcalls(row)}</dd>
        </div>
        <div>
          <dt>tottime</dt>
          <dd>{formatSeconds(row.tottime)}</dd>
        </div>
        <div>
          <dt>cumtime</dt>
          <dd>{formatSeconds(row.cumtime)}</dd>
        </div>
      </dl>
      {hiddenByFilter && <p className={styles.note}>Hidden in the table by the search.</p>}
      <EdgeList
        key={`callers-${selected}`}
        title="Callers"
        empty="No callers: a root of the profile."
        edges={index.callers[selected] ?? []}
        profile={profile}
        other={(edge) => edge.caller}
        onSelect={onSelect}
      />
      <EdgeList
        key={`callees-${selected}`}
        title="Callees"
        empty="No callees."
        edges={index.callees[selected] ?? []}
        profile={profile}
        other={(edge) => edge.callee}
        onSelect={onSelect}
      />
    </aside>
  )
}

interface EdgeListProps {
  title: string
  empty: string
  edges: readonly number[]
  profile: ProfileDocument
  other: (edge: CallEdge) => number
  onSelect: (key: string, mode: HistoryMode) => void
}

function formatEdgeCalls(edge: CallEdge): string {
  // `profile`-module runs record only a call count per edge.
  return edge.primitiveCalls === null
    ? String(edge.ncalls)
    : formatNcalls({ ncalls: edge.ncalls, primitiveCalls: edge.primitiveCalls })
}

function formatEdgeSeconds(seconds: number | null): string {
  return seconds === null ? '—' : formatSeconds(seconds)
}

function EdgeList({ title, empty, edges, profile, other, onSelect }: EdgeListProps) {
  const [showAll, setShowAll] = useState(false)
  const sorted = edges.map((e) => profile.edges[e]!).sort(compareEdges)
  const shown = showAll ? sorted : sorted.slice(0, FIRST)
  const headingId = `edges-${title.toLowerCase()}`
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.sectionTitle}>
        {title} <span className={styles.sectionCount}>({sorted.length})</span>
      </h3>
      {sorted.length === 0 ? (
        <p className={styles.note}>{empty}</p>
      ) : (
        <>
          <div className={styles.columns} aria-hidden="true">
            <span>ncalls</span>
            <span>tottime</span>
            <span>cumtime</span>
            <span className={styles.fnColumn}>function</span>
          </div>
          <ul className={styles.list}>
            {shown.map((edge) => {
              const target = selectTableRow(profile, other(edge))
              return (
                <li key={`${edge.caller}-${edge.callee}`} className={styles.entry}>
                  <span className={styles.num} title="ncalls">
                    {formatEdgeCalls(edge)}
                  </span>
                  <span className={styles.num} title="tottime">
                    {formatEdgeSeconds(edge.tottime)}
                  </span>
                  <span className={styles.num} title="cumtime">
                    {formatEdgeSeconds(edge.cumtime)}
                  </span>
                  <button
                    type="button"
                    className={styles.fn}
                    onClick={() => onSelect(target.key, 'push')}
                  >
                    <Text text={target.label} wrap />
                  </button>
                </li>
              )
            })}
          </ul>
          {shown.length < sorted.length && (
            <button type="button" className={styles.more} onClick={() => setShowAll(true)}>
              Show all {sorted.length}
            </button>
          )}
        </>
      )}
    </section>
  )
}
