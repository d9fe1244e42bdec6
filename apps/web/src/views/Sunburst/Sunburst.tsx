import { ChartView, type ChartViewProps } from '../Charts/ChartView.tsx'

/** The Sunburst tab: the focused function in the centre, its callees in rings around it. */
export function Sunburst(props: Omit<ChartViewProps, 'kind'>) {
  return <ChartView kind="sunburst" {...props} />
}
