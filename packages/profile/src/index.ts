export * from './pstats.ts'
export * from './stats.ts'
export * from './format.ts'
