export * from './columns.ts'
export * from './csv.ts'
export * from './callgrind.ts'
export * from './speedscope.ts'
