import type { InvertedTreeOptions } from '@profhub/profile'

/**
 * The bottom-up tree (own time, then callers) keeps nodes of 1/10,000 of the total own time:
 * about 4,500 nodes for 100k functions, 50 ms to build. (The top-down tree's options are
 * `CHART_TREE_OPTIONS`: the server builds it too.)
 */
export const INVERTED_OPTIONS: InvertedTreeOptions = { minFraction: 1e-4, maxNodes: 100_000 }
