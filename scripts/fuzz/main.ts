import { parseFuzzOptions, USAGE } from './options.ts'
import { formatFuzzResult, runFuzz } from './run-fuzz.ts'

// `pnpm fuzz`: see options.ts for what it takes, run-fuzz.ts for what it does.
async function main() {
  const options = parseFuzzOptions(process.argv.slice(2))
  if (options === USAGE) {
    console.log(USAGE)
    process.exit(0)
  }
  if (typeof options === 'string') {
    console.error(options)
    process.exit(2)
  }
  const result = await runFuzz({ ...options, log: (line) => console.log(line) })
  console.log(formatFuzzResult(result, options))
  process.exit(result.ok ? 0 : 1)
}

await main()
