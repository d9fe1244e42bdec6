import { describe, expect, it } from 'vitest'
import { formatAttachmentDisposition } from '../../src/runs/content-disposition.ts'

describe('formatAttachmentDisposition', () => {
  it.each([
    ['profile.prof', 'attachment; filename="profile.prof"'],
    ['', 'attachment; filename="profile.prof"'],
    ['\r\n', 'attachment; filename="profile.prof"'],
    ['a"b\\c.prof', `attachment; filename="a_bc.prof"; filename*=UTF-8''a%22bc.prof`],
    ['../../etc/passwd', 'attachment; filename="....etcpasswd"'],
    ['x\r\nSet-Cookie: a=b', 'attachment; filename="xSet-Cookie: a=b"'],
    ['100%.prof', `attachment; filename="100_.prof"; filename*=UTF-8''100%25.prof`],
    ["it's (1).prof", 'attachment; filename="it\'s (1).prof"'],
    ['søk.prof', `attachment; filename="s_k.prof"; filename*=UTF-8''s%C3%B8k.prof`],
    ['\u202eforp.exe', `attachment; filename="_forp.exe"; filename*=UTF-8''%E2%80%AEforp.exe`],
    ['🔥.prof', `attachment; filename="__.prof"; filename*=UTF-8''%F0%9F%94%A5.prof`],
    [
      "a'(*).prof😀",
      `attachment; filename="a'(*).prof__"; filename*=UTF-8''a%27%28%2A%29.prof%F0%9F%98%80`,
    ],
    ['lone \ud800 surrogate', 'attachment; filename="lone  surrogate"'],
  ])('%j → %s', (fileName, header) => {
    expect(formatAttachmentDisposition(fileName)).toBe(header)
  })
})
