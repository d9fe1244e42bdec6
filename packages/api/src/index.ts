export * from './profile-document.ts'
export * from './runs.ts'
export * from './exports.ts'
export * from './run-extras.ts'
