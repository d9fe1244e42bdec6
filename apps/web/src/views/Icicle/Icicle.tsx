import { ChartView, type ChartViewProps } from '../Charts/ChartView.tsx'

/** The Icicle tab: the focused function across the top, its callees in rows below. */
export function Icicle(props: Omit<ChartViewProps, 'kind'>) {
  return <ChartView kind="icicle" {...props} />
}
