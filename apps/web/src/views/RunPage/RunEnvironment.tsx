import {
  formatCommand,
  formatGit,
  formatPlatform,
  formatProfiler,
  formatPython,
  type RunEnvironment as Environment,
} from '../../environment.ts'
import { Text } from '../common/Text.tsx'
import styles from './RunEnvironment.module.css'

/**
 * What the run ran on, on one line (Python, platform, profiler and clock, commit), the command
 * line and directory behind a disclosure, and a note when tracemalloc ran during the profile.
 * All of it is what the uploader's machine said: untrusted text.
 */
export function RunEnvironment({
  environment,
  fallbackPython,
}: {
  environment: Environment | undefined
  /** The version the profile itself tells, for a server that sends no environment. */
  fallbackPython: string | null
}) {
  const env = environment ?? null
  const python = formatPython(env) ?? fallbackPython
  const facts: [string, string | null][] = [
    ['Python', python],
    ['Platform', formatPlatform(env)],
    ['Profiler', formatProfiler(env)],
    ['Commit', formatGit(env)],
  ]
  const shown = facts.filter((fact): fact is [string, string] => fact[1] !== null)
  const command = env?.command ?? null
  const cwd = env?.cwd ?? null
  const commit = env?.git?.commit ?? null
  const hasDetails = (command !== null && command.length > 0) || cwd !== null || commit !== null
  if (shown.length === 0 && !hasDetails && !env?.memory) return null
  return (
    <section className={styles.environment} aria-label="Environment">
      <dl className={styles.facts}>
        {shown.map(([label, value]) => (
          <div key={label} className={styles.fact}>
            <dt>{label}</dt>
            <dd>
              <Text text={value} />
            </dd>
          </div>
        ))}
      </dl>
      {env?.guessed && <span className={styles.guessed}>guessed from the file</span>}
      {hasDetails && (
        <details className={styles.details}>
          <summary>Command line and directory</summary>
          <dl className={styles.detailList}>
            {command !== null && command.length > 0 && (
              <>
                <dt>Command</dt>
                <dd>
                  <Text text={formatCommand(command)} wrap />
                </dd>
              </>
            )}
            {cwd !== null && (
              <>
                <dt>Directory</dt>
                <dd>
                  <Text text={cwd} wrap />
                </dd>
              </>
            )}
            {commit !== null && (
              <>
                <dt>Git commit</dt>
                <dd>
                  <Text text={commit} wrap />
                  {env?.git?.dirty ? ' (uncommitted changes)' : ''}
                </dd>
              </>
            )}
          </dl>
        </details>
      )}
      {env?.memory && (
        <p className={styles.note} role="note">
          The CPU times include tracemalloc’s overhead: memory was traced during this profile, which
          slows the traced code down.
        </p>
      )}
    </section>
  )
}
