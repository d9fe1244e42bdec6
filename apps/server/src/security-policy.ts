/**
 * The Content-Security-Policy of every response, and the FRAME_ANCESTORS setting it depends on.
 * Pure: the plugin (plugins/external/security-headers.ts) hands these to @fastify/helmet.
 */

/** CSP directives as helmet takes them: name → source expressions. */
export type CspDirectives = Record<string, string[]>

/**
 * The web app's policy. Everything the app runs, styles and fetches comes from its own origin:
 * Vite builds the scripts, the call-tree worker (a module worker started from its own file) and
 * the CSS as files, and React sets `style` props through the CSSOM, which `style-src` does not
 * govern. So no 'unsafe-inline' and no 'unsafe-eval': an injected `<script>` or `onclick`, or
 * a string handed to `eval`, does not run, whatever a profile's names contain.
 */
export function buildContentSecurityPolicy(frameAncestors: readonly string[]): CspDirectives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'worker-src': ["'self'"],
    'style-src': ["'self'"],
    // index.html's empty icon is `data:,` (no /favicon.ico request); Swagger UI's logo too.
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    // No <base> may move the app's relative URLs elsewhere; forms post only here.
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    // A run page in a frame could be overlaid (clickjacking); FRAME_ANCESTORS lets a
    // notebook (`%profhub` shows the run in an IFrame) or a dashboard frame it.
    'frame-ancestors': frameAncestors.length > 0 ? [...frameAncestors] : ["'none'"],
  }
}

/**
 * Adds sources to one directive of a CSP header's text (helmet writes `a x;b y`), for a page
 * that needs more than the app does.
 */
export function addCspSources(header: string, directive: string, sources: string[]): string {
  const parts = header.split(';').map((part) => part.trim())
  const index = parts.findIndex((part) => part.split(/\s+/, 1)[0] === directive)
  if (index === -1) return [...parts, [directive, ...sources].join(' ')].join(';')
  parts[index] = [parts[index], ...sources].join(' ')
  return parts.join(';')
}

// CSP source expressions that name where a frame may be: `'self'`, a scheme (`https:`), or a
// host with an optional scheme, port and path (`http://localhost:8888`, `https://*.corp.example`).
// Nothing else gets into the header: a `;` or `,` would start another directive or policy.
const SCHEME = '[a-zA-Z][a-zA-Z0-9+.-]*'
const HOST = '(?:\\*|(?:\\*\\.)?[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*|\\[[0-9a-fA-F:.]+\\])'
const SOURCE = new RegExp(
  `^(?:'self'|${SCHEME}:|(?:${SCHEME}://)?${HOST}(?::(?:[0-9]{1,5}|\\*))?(?:/[^\\s;,'"]*)?)$`,
)

/**
 * `FRAME_ANCESTORS`: space-separated origins allowed to frame the pages (`http://localhost:8888`
 * for a local Jupyter). Unset, empty or `'none'`: no one.
 */
export function parseFrameAncestors(value: string | undefined): string[] {
  const sources = (value ?? '').split(/\s+/).filter((source) => source !== '')
  if (sources.length === 1 && sources[0] === "'none'") return []
  const bad = sources.find((source) => !SOURCE.test(source))
  if (bad !== undefined) {
    throw new Error(
      `FRAME_ANCESTORS must be space-separated origins such as http://localhost:8888 (or 'self'), got "${bad}"`,
    )
  }
  return sources
}
