import { useRef, type KeyboardEvent, type ReactNode } from 'react'
import { updateView } from '../../navigation.ts'
import type { Tab } from '../../url-state.ts'
import { Breadcrumb, type Crumb } from '../Breadcrumb/Breadcrumb.tsx'
import styles from './ProfileViews.module.css'

/** Each view's tab name. A page lists the tabs it has (url-state.ts' TABS, COMPARE_TABS). */
const TAB_LABELS: Record<Tab, string> = {
  sunburst: 'Sunburst',
  icicle: 'Icicle',
  table: 'Table',
  butterfly: 'Butterfly',
  memory: 'Memory',
}

/**
 * The frame of a page that shows a profile (the run page, the compare page): the tabs, Search,
 * the breadcrumb, and the active tab's panel (`children`). A page adds a view by adding its id
 * to its list of tabs and rendering its panel.
 */
export function ProfileViews({
  tabs,
  active,
  search,
  crumbs,
  children,
}: {
  tabs: readonly Tab[]
  active: Tab
  search: string
  crumbs: Crumb[]
  children: ReactNode
}) {
  return (
    <>
      <div className={styles.toolbar}>
        <Tabs tabs={tabs} active={active} />
        <input
          type="search"
          className={styles.search}
          aria-label="Search"
          placeholder="Filter by function or file"
          value={search}
          onChange={(e) => updateView({ search: e.target.value }, 'replace')}
          spellCheck={false}
          autoComplete="off"
        />
      </div>
      <Breadcrumb items={crumbs} />
      <div
        role="tabpanel"
        id={`panel-${active}`}
        aria-labelledby={`tab-${active}`}
        className={styles.panel}
      >
        {children}
      </div>
    </>
  )
}

/** A line in the panel: the tree is building, it failed, there is nothing to draw. */
export function PanelMessage({
  role,
  children,
}: {
  role: 'status' | 'alert'
  children: ReactNode
}) {
  return (
    <p role={role} className={styles.message}>
      {children}
    </p>
  )
}

function Tabs({ tabs, active }: { tabs: readonly Tab[]; active: Tab }) {
  const list = useRef<HTMLDivElement>(null)
  const choose = (tab: Tab) => {
    if (tab !== active) updateView({ tab }, 'push')
  }
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (event: KeyboardEvent) => {
    const i = tabs.indexOf(active)
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    const next = tabs[(i + step + tabs.length) % tabs.length]!
    choose(next)
    list.current?.querySelector<HTMLElement>(`#tab-${next}`)?.focus()
  }
  return (
    <div ref={list} role="tablist" aria-label="Views" className={styles.tabs} onKeyDown={onKeyDown}>
      {tabs.map((id) => (
        <button
          key={id}
          type="button"
          role="tab"
          id={`tab-${id}`}
          aria-selected={id === active}
          aria-controls={`panel-${id}`}
          tabIndex={id === active ? 0 : -1}
          className={styles.tab}
          onClick={() => choose(id)}
        >
          {TAB_LABELS[id]}
        </button>
      ))}
    </div>
  )
}
