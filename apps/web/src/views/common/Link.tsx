import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { navigate } from '../../navigation.ts'

interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string
  /** Runs instead of `navigate(href)` on a plain click (e.g. to change the view, not the page). */
  onNavigate?: () => void
}

/** A real `<a href>` (open in new tab, copy link) that navigates in-app on a plain click. */
export function Link({ href, onNavigate, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return
    }
    event.preventDefault()
    if (onNavigate) onNavigate()
    else navigate(href)
  }
  return <a href={href} onClick={handleClick} {...rest} />
}
