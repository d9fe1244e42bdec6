import os from 'node:os'
import path from 'node:path'

/**
 * The per-user store of `profhub view`: `--data-dir`, else `$XDG_DATA_HOME/profhub`, else
 * `~/.local/share/profhub` (the XDG default, also used on macOS and Windows for one rule).
 */
export function resolveDataDir(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option) return path.resolve(option)
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'profhub')
  return path.join(os.homedir(), '.local', 'share', 'profhub')
}
