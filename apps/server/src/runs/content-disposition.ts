// `Content-Disposition: attachment` for an uploaded file's name, which is untrusted text:
// control characters and path separators dropped, an ASCII `filename` with quotes, `%` (some
// browsers decode it) and non-ASCII replaced, plus RFC 6266 / RFC 5987 `filename*` when the
// real name needs more than that.

const FALLBACK_NAME = 'profile.prof'
// Tested against single code points (Array.from), so a surrogate here is a lone one.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /^(?:[\u0000-\u001f\u007f/\\]|[\ud800-\udfff])$/

export function formatAttachmentDisposition(fileName: string): string {
  const name =
    Array.from(fileName)
      // Control characters, path separators, and lone surrogates (encodeURIComponent throws).
      .filter((char) => !UNSAFE_CHAR.test(char))
      .join('')
      .trim() || FALLBACK_NAME
  const ascii = name.replace(/[^\x20-\x7e]|["%]/g, '_')
  if (ascii === name) return `attachment; filename="${ascii}"`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(name)}`
}

function encodeExtValue(text: string): string {
  // encodeURIComponent leaves ' ( ) * unescaped; RFC 5987's attr-char does not allow them.
  return encodeURIComponent(text).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}
