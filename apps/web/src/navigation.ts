import { useAppStore } from './store.ts'
import { routeFromUrl, urlFromViewState, type RunViewState, type ViewState } from './url-state.ts'

/**
 * Routing without a router library: the URL is the source of truth, `route` in the store mirrors
 * it. `navigate()` moves to another page; `updateView()` changes the current run page's view.
 *
 * History entries: sort, tab and selection changes push (Back undoes them); typing in the search
 * box and moving the selection with the arrow keys replace the current entry, at most every
 * REPLACE_DELAY ms (browsers throttle sites that call replaceState hundreds of times a second).
 */

export type HistoryMode = 'push' | 'replace'

const REPLACE_DELAY = 150

let pendingReplace: string | null = null
let replaceTimer: ReturnType<typeof setTimeout> | undefined

function currentUrl(): string {
  return window.location.pathname + window.location.search
}

function flushReplace(): void {
  clearTimeout(replaceTimer)
  replaceTimer = undefined
  if (pendingReplace !== null && pendingReplace !== currentUrl()) {
    window.history.replaceState(null, '', pendingReplace)
  }
  pendingReplace = null
}

function writeUrl(url: string, mode: HistoryMode): void {
  if (mode === 'replace') {
    pendingReplace = url
    replaceTimer ??= setTimeout(flushReplace, REPLACE_DELAY)
    return
  }
  // Give the entry we leave its latest state (search typed so far) before adding the new one.
  flushReplace()
  if (url !== currentUrl()) window.history.pushState(null, '', url)
}

function syncRouteFromLocation(): void {
  useAppStore.setState({ route: routeFromUrl(new URL(window.location.href)) })
}

/** Go to another page of the app (`/`, `/runs/<id>`). */
export function navigate(href: string, mode: HistoryMode = 'push'): void {
  flushReplace()
  if (mode === 'push') window.history.pushState(null, '', href)
  else window.history.replaceState(null, '', href)
  syncRouteFromLocation()
  window.scrollTo(0, 0)
}

/** Change the run page's view state (sort, search, selection…) and the URL with it. */
export function updateView(patch: Partial<Omit<ViewState, 'runId'>>, mode: HistoryMode): void {
  const route = useAppStore.getState().route
  if (route.page !== 'run') return
  const view: RunViewState = { ...route.view, ...patch }
  useAppStore.setState({ route: { page: 'run', view } })
  writeUrl(urlFromViewState(view), mode)
}

/** Reads the first URL, rewrites it to its canonical form, and follows Back/Forward. */
export function startHistorySync(): () => void {
  syncRouteFromLocation()
  const { route } = useAppStore.getState()
  if (route.page === 'run') {
    // Drops invalid parameters so that what is shared is what is shown.
    const canonical = urlFromViewState(route.view)
    if (canonical !== currentUrl()) window.history.replaceState(null, '', canonical)
  }
  const onPopState = () => {
    // A pending replace belongs to the entry we just left.
    clearTimeout(replaceTimer)
    replaceTimer = undefined
    pendingReplace = null
    syncRouteFromLocation()
  }
  window.addEventListener('popstate', onPopState)
  return () => window.removeEventListener('popstate', onPopState)
}
