/**
 * The colour arithmetic behind the chart palettes: OKLCH → sRGB (so that colours of one
 * lightness look equally light whatever their hue, which HSL does not do: an HSL blue is far
 * darker than an HSL yellow of the same "lightness"), and WCAG 2 contrast, which the palettes'
 * tests check for every colour a label is drawn on.
 */

export type Rgb = readonly [number, number, number]

function toSrgbChannel(linear: number): number {
  const v = linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055
  return v * 255
}

function toLinear(channel: number): number {
  const v = channel / 255
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4)
}

/** OKLab → sRGB, unclamped (channels out of 0–255 mean the colour is outside sRGB). */
function oklabToSrgb(l: number, a: number, b: number): [number, number, number] {
  const l_ = Math.pow(l + 0.3963377774 * a + 0.2158037573 * b, 3)
  const m_ = Math.pow(l - 0.1055613458 * a - 0.0638541728 * b, 3)
  const s_ = Math.pow(l - 0.0894841775 * a - 1.291485548 * b, 3)
  return [
    toSrgbChannel(4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_),
    toSrgbChannel(-1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_),
    toSrgbChannel(-0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_),
  ]
}

/**
 * The sRGB colour of OKLCH lightness `l` (0–1), chroma `c` and hue `h` (degrees). A colour
 * outside sRGB keeps its lightness and hue and loses chroma until it fits (a bisection).
 */
export function oklchToRgb(l: number, c: number, h: number): Rgb {
  const rad = (h * Math.PI) / 180
  const at = (chroma: number) => oklabToSrgb(l, chroma * Math.cos(rad), chroma * Math.sin(rad))
  const fits = (rgb: number[]) => rgb.every((v) => v >= -0.5 && v <= 255.5)
  let rgb = at(c)
  if (!fits(rgb)) {
    let lo = 0
    let hi = c
    for (let i = 0; i < 16; i++) {
      const mid = (lo + hi) / 2
      if (fits(at(mid))) lo = mid
      else hi = mid
    }
    rgb = at(lo)
  }
  const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)))
  return [clamp(rgb[0]), clamp(rgb[1]), clamp(rgb[2])]
}

export function formatHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')
}

/** `#rrggbb`, `rgb(r, g, b)` or `rgb(r g b)` (alpha is not read). */
export function parseRgb(color: string): Rgb {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)]
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(color)
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])]
  throw new Error(`not an sRGB colour: ${color}`)
}

/** `top` at `alpha` over `bottom`, as the canvas composes it (in sRGB values). */
export function blend(top: Rgb, alpha: number, bottom: Rgb): Rgb {
  const mix = (t: number, b: number) => Math.round(t * alpha + b * (1 - alpha))
  return [mix(top[0], bottom[0]), mix(top[1], bottom[1]), mix(top[2], bottom[2])]
}

/** WCAG 2 relative luminance. */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * toLinear(r) + 0.7152 * toLinear(g) + 0.0722 * toLinear(b)
}

/** WCAG 2 contrast ratio (1–21); 4.5 is the minimum for text. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}
