import { spawn } from 'node:child_process'

/**
 * Opens `url` in the person's browser without waiting for it: `$BROWSER` if set (as
 * Python's webbrowser module reads it: `:`-separated commands, `%s` for the URL, else the URL
 * is the last argument), otherwise the platform's opener. Never through a shell, detached, and
 * every failure ignored: the link is printed anyway.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): void {
  const [command, ...args] = browserCommand(url, env)
  if (command === undefined) return
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' })
    child.on('error', () => {})
    child.unref()
  } catch {
    // A command that cannot even be spawned (bad $BROWSER): the printed link remains.
  }
}

export function browserCommand(url: string, env: NodeJS.ProcessEnv): string[] {
  const browser = env.BROWSER?.split(':')[0]?.trim()
  if (browser) {
    const words = browser.split(/\s+/)
    return words.some((word) => word.includes('%s'))
      ? words.map((word) => word.replaceAll('%s', url))
      : [...words, url]
  }
  if (process.platform === 'darwin') return ['open', url]
  // `start` is a cmd built-in; its first quoted argument is the window title.
  if (process.platform === 'win32') return ['cmd', '/c', 'start', '""', url.replace(/&/g, '^&')]
  return ['xdg-open', url]
}
