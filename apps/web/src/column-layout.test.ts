import { describe, expect, it } from 'vitest'
import { computeColumnLayout, type ColumnSize } from './column-layout.ts'

const columns: ColumnSize[] = [
  { key: 'calls-before', width: 100, hideOrder: 2 },
  { key: 'calls-after', width: 40.2, hideOrder: 1 },
  { key: 'calls-change', width: 50 },
  { key: 'huge', width: 4000 },
  { key: 'function', width: null },
]
const label = { want: 200, least: 150 }
const keys = (px: number) => computeColumnLayout(columns, px, label).visible.map((c) => c.key)

describe('computeColumnLayout', () => {
  it('sizes number columns by their widest text, padded and capped; the label takes the rest', () => {
    const layout = computeColumnLayout(columns, 0, label)
    expect(layout.template).toBe('108px 49px 58px 248px minmax(150px, 1fr)')
    // with the scrollbar's 16 px and the label's least width
    expect(layout.minWidth).toBe(629)
    expect(computeColumnLayout(columns, 571, label).minWidth).toBe(629 - 108)
  })

  it('hides the highest hideOrder first, a level at a time, until the label column fits', () => {
    expect(keys(679)).toEqual(['calls-before', 'calls-after', 'calls-change', 'huge', 'function'])
    expect(keys(678)).toEqual(['calls-after', 'calls-change', 'huge', 'function'])
    expect(keys(571)).toEqual(['calls-after', 'calls-change', 'huge', 'function'])
    expect(keys(570)).toEqual(['calls-change', 'huge', 'function'])
    // Columns without a hideOrder stay, however narrow: the table then scrolls sideways.
    expect(keys(100)).toEqual(['calls-change', 'huge', 'function'])
  })
})
