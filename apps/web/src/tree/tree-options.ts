import type { CallTreeOptions, InvertedTreeOptions } from '@profhub/profile'

/**
 * How fine the charts' call tree is built, once per profile. Nodes under 1/100,000 of the total
 * time are left out (their time shows as their parent's own): at the default cutoff (0.1 % of
 * the focused node) that is every node a chart draws until you zoom into a node of under 1 % of
 * the total; deeper in, the smallest callees are missing. A 100k-function profile gives about
 * 50,000 nodes.
 */
export const TREE_OPTIONS: CallTreeOptions = { minFraction: 1e-5, maxNodes: 250_000 }

/**
 * The bottom-up tree (own time, then callers) keeps nodes of 1/10,000 of the total own time:
 * about 4,500 nodes for 100k functions, 50 ms to build.
 */
export const INVERTED_OPTIONS: InvertedTreeOptions = { minFraction: 1e-4, maxNodes: 100_000 }
