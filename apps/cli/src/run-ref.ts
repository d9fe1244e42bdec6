import { parseServerUrl } from './client.ts'
import { usageError } from './errors.ts'
import { formatSafeText } from './text.ts'

export interface RunRef {
  id: string
  /** The server, when the run was given by its link. */
  server?: string
}

const RUN_ID = /^[A-Za-z0-9_-]+$/

/** A run id, or a run's link (`https://host[/prefix]/runs/<id>`, any query or fragment). */
export function parseRunRef(text: string, command: string): RunRef {
  if (RUN_ID.test(text)) return { id: text }
  const url = URL.canParse(text) ? new URL(text) : null
  if (url?.protocol === 'http:' || url?.protocol === 'https:') {
    const match = /^(.*)\/runs\/([A-Za-z0-9_-]+)\/?$/.exec(url.pathname)
    if (match) {
      return { id: match[2]!, server: parseServerUrl(`${url.origin}${match[1]}`, 'the link') }
    }
  }
  throw usageError(`not a run id or a run link: ${formatSafeText(text)}`, command)
}
