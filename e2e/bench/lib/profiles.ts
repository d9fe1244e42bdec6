/** Benchmark inputs: generated call-DAG profiles of a given size, cached between runs. */
// PYTHON: the interpreter the server prefers, so the converter is timed as it runs in production.
export { generatedProfile, PYTHON } from '@profhub/fixtures'
