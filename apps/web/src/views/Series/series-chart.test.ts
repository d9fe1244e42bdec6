import { describe, expect, it } from 'vitest'
import { computeChartLayout, niceTicks, pickRunTicks } from './series-chart.ts'

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten up to the first at or above the maximum', () => {
    expect(niceTicks(0.93)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8])
    expect(niceTicks(0.003)).toEqual([0, 0.001, 0.002, 0.003])
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100])
  })

  it('is only 0 when there is nothing above it', () => {
    expect(niceTicks(0)).toEqual([0])
    expect(niceTicks(Number.NaN)).toEqual([0])
  })
})

describe('pickRunTicks', () => {
  it('names every run when they fit', () => {
    expect(pickRunTicks(4, 10)).toEqual([0, 1, 2, 3])
    expect(pickRunTicks(0, 10)).toEqual([])
  })

  it('spreads the ticks, the first and last always named', () => {
    expect(pickRunTicks(12, 4)).toEqual([0, 4, 8, 11])
    expect(pickRunTicks(100, 5)).toEqual([0, 25, 50, 75, 99])
    const many = pickRunTicks(500, 8)
    expect(many[0]).toBe(0)
    expect(many[many.length - 1]).toBe(499)
    expect(many.length).toBeLessThanOrEqual(8)
  })
})

describe('computeChartLayout', () => {
  const box = { width: 240, height: 120, margin: { top: 10, right: 20, bottom: 10, left: 20 } }

  it('puts runs at even steps and values on a scale from 0', () => {
    const layout = computeChartLayout(3, [{ key: 'own', axis: 'left', values: [1, 2, 4] }], box)
    expect(layout.xs).toEqual([20, 120, 220])
    expect(layout.leftTicks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4])
    expect(layout.lines[0]!.ys).toEqual([85, 60, 10])
    expect(layout.lines[0]!.path).toBe('M20,85L120,60L220,10')
    expect(layout.rightTicks).toEqual([])
  })

  it('breaks a line where a run has no value, rather than drawing it at 0', () => {
    const layout = computeChartLayout(4, [{ key: 'own', axis: 'left', values: [1, null, 1, 1] }], {
      ...box,
      width: 320,
    })
    expect(layout.lines[0]!.path).toBe('M20,10M206.7,10L300,10')
    expect(layout.lines[0]!.ys[1]).toBeNull()
  })

  it('gives a line on the right its own scale', () => {
    const layout = computeChartLayout(
      2,
      [
        { key: 'own', axis: 'left', values: [0.001, 0.002] },
        { key: 'total', axis: 'right', values: [10, 10] },
      ],
      box,
    )
    expect(layout.leftTicks.at(-1)!.value).toBe(0.002)
    expect(layout.rightTicks.at(-1)!.value).toBe(10)
    // Both lines reach the top of the plot at their own maximum.
    expect(layout.lines[0]!.ys[1]).toBe(10)
    expect(layout.lines[1]!.ys[1]).toBe(10)
  })

  it('centres a single run', () => {
    const layout = computeChartLayout(1, [{ key: 'own', axis: 'left', values: [0] }], box)
    expect(layout.xs).toEqual([120])
    expect(layout.lines[0]!.ys).toEqual([110])
  })
})
