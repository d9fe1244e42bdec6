import { useEffect, useState } from 'react'
import { formatAbsoluteTime, formatRelativeTime } from '../../format.ts'

/** The clock, re-read every minute so "5 minutes ago" stays true on a page left open. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}

/** `5 minutes ago`, with the absolute date and time in the tooltip. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow()
  return (
    <time dateTime={iso} title={formatAbsoluteTime(iso)}>
      {formatRelativeTime(iso, now) || iso}
    </time>
  )
}
