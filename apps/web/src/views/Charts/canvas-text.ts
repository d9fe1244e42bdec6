/**
 * Labels on canvas: untrusted names go through `displayText` (control and bidi characters shown
 * as escapes) before they get here, and are drawn with fillText, never parsed as markup. Long
 * ones are cut with an ellipsis to the room they have. Measurements are cached: a chart redraws
 * its labels every animation frame, and a hostile 5,000-character name costs the same each time.
 */

const ELLIPSIS = '…'
const MAX_ENTRIES = 20_000

export class TextFitter {
  private widths = new Map<string, number>()
  private fitted = new Map<string, string>()
  private font = ''

  constructor(private ctx: CanvasRenderingContext2D) {}

  private measure(text: string): number {
    let width = this.widths.get(text)
    if (width === undefined) {
      width = this.ctx.measureText(text).width
      if (this.widths.size > MAX_ENTRIES) this.widths.clear()
      this.widths.set(text, width)
    }
    return width
  }

  /** Sets the font for the following calls (dropping the cache when it changes). */
  setFont(font: string): void {
    this.ctx.font = font
    if (font !== this.font) {
      this.font = font
      this.widths.clear()
      this.fitted.clear()
    }
  }

  /** `text`, or its longest prefix + "…" within `maxWidth`; '' when not even one letter fits. */
  fit(text: string, maxWidth: number): string {
    if (maxWidth <= 0) return ''
    const room = Math.floor(maxWidth)
    const key = `${room}\u0000${text}`
    const cached = this.fitted.get(key)
    if (cached !== undefined) return cached
    let result: string
    if (this.measure(text) <= room) {
      result = text
    } else {
      // Binary search on the prefix length; a long name needs ~13 measurements once.
      let lo = 0
      let hi = Math.min(text.length, Math.ceil(room)) // at least ~1 px per character
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (this.measure(text.slice(0, mid) + ELLIPSIS) <= room) lo = mid
        else hi = mid - 1
      }
      result = lo === 0 ? '' : text.slice(0, lo).trimEnd() + ELLIPSIS
    }
    if (this.fitted.size > MAX_ENTRIES) this.fitted.clear()
    this.fitted.set(key, result)
    return result
  }
}
