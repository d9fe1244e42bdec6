// The server names a download in Content-Disposition, from the run's name: untrusted text that
// becomes a file name in the person's current directory.

/** The file name of a Content-Disposition header (`filename*` first, as RFC 6266 says). */
export function parseDispositionFileName(header: string | null): string | null {
  if (header === null) return null
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)'[^']*'([^;]+)/.exec(header)
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim())
    } catch {
      // A malformed escape: fall back to the plain filename.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(header)
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1')
  const token = /filename\s*=\s*([^;\s]+)/.exec(header)
  return token ? token[1]! : null
}

/**
 * A name that is safe to create in the current directory: its last path component, without
 * control characters, and not hidden (no leading dot) or empty; else `fallback`.
 */
export function safeFileName(name: string | null, fallback: string): string {
  if (name === null) return fallback
  const last = name.split(/[/\\]/).pop() ?? ''
  const cleaned = Array.from(last)
    // eslint-disable-next-line no-control-regex
    .filter((char) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(char))
    .join('')
    .trim()
    .replace(/^\.+/, '')
  return cleaned === '' ? fallback : cleaned
}
