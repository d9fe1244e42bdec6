import { useEffect } from 'react'
import { useAppStore } from './store.ts'
import { isCompareView } from './url-state.ts'
import { ComparePage } from './views/Compare/ComparePage.tsx'
import { useTheme } from './views/common/use-theme.ts'
import { NotFound } from './views/NotFound/NotFound.tsx'
import { RunList } from './views/RunList/RunList.tsx'
import { RunPage } from './views/RunPage/RunPage.tsx'
import { FunctionHistoryPage } from './views/Series/FunctionHistoryPage.tsx'
import { SeriesPage } from './views/Series/SeriesPage.tsx'

/**
 * Where a dropped file is not wanted (a run page), the browser would open it in place of the
 * app. Refuse the drop instead; the run list registers its own handlers first and prevents the
 * default itself, which this respects.
 */
function useRefuseFileDrops(): void {
  useEffect(() => {
    const refuse = (event: DragEvent) => {
      if (event.defaultPrevented || !event.dataTransfer?.types.includes('Files')) return
      event.preventDefault()
      if (event.type === 'dragover') event.dataTransfer.dropEffect = 'none'
    }
    window.addEventListener('dragover', refuse)
    window.addEventListener('drop', refuse)
    return () => {
      window.removeEventListener('dragover', refuse)
      window.removeEventListener('drop', refuse)
    }
  }, [])
}

export function App() {
  const route = useAppStore((s) => s.route)
  useRefuseFileDrops()
  // A theme change re-renders every page: chart colours (selectFunctionColors, diffColor) are
  // picked in JavaScript for the theme in use, not by CSS.
  useTheme()
  switch (route.page) {
    case 'runs':
      return <RunList />
    case 'run':
      // A run page with another run to compare with (`/compare/<a>/<b>`, or `compare=` in a run
      // page URL) is the compare page.
      if (isCompareView(route.view)) {
        const { runId, compare } = route.view
        return <ComparePage key={`${runId}/${compare}`} view={route.view} />
      }
      // Keyed by run: another run starts from a fresh page (scroll, editors, table state).
      return <RunPage key={route.view.runId} view={route.view} />
    case 'series':
      return <SeriesPage key={route.label} label={route.label} />
    case 'series-function':
      return <FunctionHistoryPage label={route.label} fn={route.fn} />
    case 'not-found':
      return <NotFound />
  }
}
