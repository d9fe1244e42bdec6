import { useMemo, useRef, type KeyboardEvent } from 'react'
import { formatFunctionLabel, type ProfileDocument } from '@profhub/profile'
import { updateView, type HistoryMode } from '../../navigation.ts'
import { selectProfileIndex } from '../../selectors.ts'
import { urlFromViewState, type Tab, type ViewState } from '../../url-state.ts'
import { Breadcrumb } from '../Breadcrumb/Breadcrumb.tsx'
import { CallersPanel } from '../CallersPanel/CallersPanel.tsx'
import { StatsTable } from '../StatsTable/StatsTable.tsx'
import styles from './RunViews.module.css'

/**
 * The views of one profile. Add a view by adding an entry here (and its id to `TABS` in
 * url-state.ts); the tablist, its keyboard handling and the URL follow.
 */
const VIEWS: { id: Tab; label: string }[] = [{ id: 'table', label: 'Table' }]

export function RunViews({ profile, view }: { profile: ProfileDocument; view: ViewState }) {
  const index = selectProfileIndex(profile)
  const selectedIndex = view.selected === null ? null : (index.byKey.get(view.selected) ?? null)
  const selectedFunction = selectedIndex === null ? null : profile.functions[selectedIndex]

  const select = useMemo(
    () => (key: string | null, mode: HistoryMode) => {
      if (key !== view.selected) updateView({ selected: key }, mode)
    },
    [view.selected],
  )

  const crumbs = [
    {
      label: 'All functions',
      href: urlFromViewState({ ...view, selected: null }),
      onNavigate: () => select(null, 'push'),
    },
    ...(selectedFunction ? [{ label: formatFunctionLabel(selectedFunction) }] : []),
  ]

  return (
    <>
      <div className={styles.toolbar}>
        <Tabs active={view.tab} />
        <input
          type="search"
          className={styles.search}
          aria-label="Search"
          placeholder="Filter by function or file"
          value={view.search}
          onChange={(e) => updateView({ search: e.target.value }, 'replace')}
          spellCheck={false}
          autoComplete="off"
        />
      </div>
      <Breadcrumb items={crumbs} />
      <div
        role="tabpanel"
        id={`panel-${view.tab}`}
        aria-labelledby={`tab-${view.tab}`}
        className={styles.panel}
      >
        {view.tab === 'table' && (
          <div className={styles.tableView}>
            <StatsTable
              profile={profile}
              sort={view.sort}
              search={view.search}
              selectedIndex={selectedIndex}
              onSort={(sort) => updateView({ sort }, 'push')}
              onSelect={select}
            />
            {selectedIndex !== null && (
              <CallersPanel
                profile={profile}
                index={index}
                selected={selectedIndex}
                search={view.search}
                onSelect={select}
              />
            )}
          </div>
        )}
      </div>
    </>
  )
}

function Tabs({ active }: { active: Tab }) {
  const list = useRef<HTMLDivElement>(null)
  const choose = (tab: Tab) => {
    if (tab !== active) updateView({ tab }, 'push')
  }
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (event: KeyboardEvent) => {
    const i = VIEWS.findIndex((v) => v.id === active)
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length]!
    choose(next.id)
    list.current?.querySelector<HTMLElement>(`#tab-${next.id}`)?.focus()
  }
  return (
    <div ref={list} role="tablist" aria-label="Views" className={styles.tabs} onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          id={`tab-${v.id}`}
          aria-selected={v.id === active}
          aria-controls={`panel-${v.id}`}
          tabIndex={v.id === active ? 0 : -1}
          className={styles.tab}
          onClick={() => choose(v.id)}
        >
          {v.label}
        </button>
      ))}
    </div>
  )
}
