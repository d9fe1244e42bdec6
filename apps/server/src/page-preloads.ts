import { isRunId } from './runs/run-id.ts'

/**
 * The `Link` header for a page of the web app: what the page will load first (each run and its
 * profile document, and a run page's call tree), so that the browser fetches them while it is
 * still loading the app's script (about 0.2-0.4 s sooner).
 * `crossorigin` makes the preload match the app's `fetch()` (cors mode, same-origin credentials).
 * Null for pages that load no profile.
 */
export function profilePreloads(pathname: string): string | null {
  const run = /^\/runs\/([^/]+)\/?$/.exec(pathname)
  const compare = /^\/compare\/([^/]+)\/([^/]+)\/?$/.exec(pathname)
  const ids = (run ?? compare)?.slice(1) ?? []
  if (ids.length === 0 || !ids.every(isRunId)) return null
  const urls = ids.flatMap((id) => [`/api/runs/${id}`, `/api/runs/${id}/profile`])
  // A run page draws its charts from the call tree the server built (GET /api/runs/:id/tree).
  if (run) urls.push(`/api/runs/${run[1]}/tree`)
  return urls.map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`).join(', ')
}
