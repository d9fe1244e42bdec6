/**
 * One service's `environment:` map from compose.yaml, with `${NAME}`, `${NAME:-default}` and
 * `${NAME:?message}` filled in from `vars` as Compose does (a missing `:?` variable throws).
 * Reads the block layout our compose.yaml uses (two-space indents, `NAME: value` lines); a
 * YAML library would be one more dependency for one map.
 */
export function readComposeEnvironment(
  text: string,
  service: string,
  vars: Record<string, string>,
): Record<string, string> {
  const lines = text.split('\n')
  const start = lines.indexOf(`  ${service}:`)
  if (start === -1) throw new Error(`compose.yaml has no service "${service}"`)
  const block = lines.indexOf('    environment:', start)
  if (block === -1) throw new Error(`compose.yaml: "${service}" has no environment`)
  const env: Record<string, string> = {}
  for (const line of lines.slice(block + 1)) {
    if (/^\s*#/.test(line)) continue
    const match = /^ {6}([A-Z_][A-Z0-9_]*): ?(.*)$/.exec(line)
    if (!match) break
    env[match[1]!] = interpolate(unquote(match[2]!.trim()), vars)
  }
  return env
}

function unquote(value: string): string {
  return /^'.*'$|^".*"$/.test(value) ? value.slice(1, -1) : value
}

function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op, arg: string) => {
    const set = vars[name] !== undefined && vars[name] !== ''
    if (set) return vars[name]!
    if (op === '?') throw new Error(`compose.yaml needs ${name}: ${arg}`)
    return op === '-' ? arg : ''
  })
}
