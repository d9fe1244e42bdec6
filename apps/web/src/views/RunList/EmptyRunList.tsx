import { useEffect, useRef, useState } from 'react'
import { currentToken } from '../../access-token.ts'
import styles from './EmptyRunList.module.css'

/**
 * No runs yet: the exact commands that make a profile and bring it here, with this page's own
 * address in them, each ready to copy. When the server asked this page for a token (AUTH_TOKEN),
 * the commands send one from `$PROFHUB_TOKEN`, which profhub.py reads too; the token itself is
 * never printed on the page.
 */
export function EmptyRunList() {
  const origin = window.location.origin
  const endpoint = `${origin}/api/runs`
  const needsToken = currentToken() !== null
  const auth = needsToken ? ' -H "Authorization: Bearer $PROFHUB_TOKEN"' : ''
  return (
    <section className={styles.empty} aria-labelledby="empty-title">
      <h2 id="empty-title">No runs yet</h2>
      <ol>
        <li>
          Profile a Python program:
          <Command text="python -m cProfile -o out.prof your_script.py" label="profile" />
        </li>
        <li>
          Upload <code>out.prof</code>: press <strong>Upload profile</strong>, drop the file
          anywhere on this page, or send it with curl:
          <Command text={`curl${auth} -F file=@out.prof ${endpoint}`} label="upload" />
          Several runs of one program merge into one:
          <Command
            text={`curl${auth} -F mode=merge -F file=@a.prof -F file=@b.prof ${endpoint}`}
            label="merge"
          />
        </li>
      </ol>
      <p>
        Or do both in one step with <code>profhub.py</code> (Python 3.8+, standard library only),
        which this server serves; it opens the new run in your browser:
      </p>
      <Command
        text={`curl -O ${origin}/profhub.py\npython profhub.py run --server ${origin} your_script.py`}
        label="profhub.py"
      />
      <p className={styles.note}>
        {needsToken ? (
          <>
            This server asks for an access token: set <code>PROFHUB_TOKEN</code> to yours first (
            <code>export PROFHUB_TOKEN=…</code>).
          </>
        ) : (
          <>
            If the server was started with <code>AUTH_TOKEN</code>, curl needs{' '}
            <code>-H "Authorization: Bearer &lt;token&gt;"</code> and profhub.py{' '}
            <code>--token &lt;token&gt;</code> (or <code>$PROFHUB_TOKEN</code>).
          </>
        )}
      </p>
      <p className={styles.note}>
        Every run gets its own page, and its link is what you share with your team.
      </p>
    </section>
  )
}

const SHOWN_MS = 3000

/**
 * A command in a code block with a Copy button. The clipboard API exists only in secure contexts
 * (https, localhost): on a plain-http team server the command is selected and copied as a
 * selection, or left selected for Ctrl+C.
 */
function Command({ text, label }: { text: string; label: string }) {
  const code = useRef<HTMLElement>(null)
  const [status, setStatus] = useState('')
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])

  const say = (message: string) => {
    clearTimeout(timer.current)
    setStatus(message)
    timer.current = setTimeout(() => setStatus(''), SHOWN_MS)
  }
  const copyBySelection = () => {
    const selection = window.getSelection()
    if (!code.current || !selection) return say('Select the command and copy it')
    selection.selectAllChildren(code.current)
    let copied = false
    try {
      // Deprecated, and the only way to copy without the clipboard API.
      copied = document.execCommand('copy')
    } catch {
      copied = false
    }
    say(copied ? 'Copied' : 'Press Ctrl+C (⌘C) to copy')
  }
  const copy = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined
    if (!clipboard) return copyBySelection()
    clipboard.writeText(text).then(() => say('Copied'), copyBySelection)
  }

  return (
    <div className={styles.command}>
      <pre>
        <code ref={code}>{text}</code>
      </pre>
      <button
        type="button"
        className={styles.copy}
        aria-label={`Copy the ${label} command`}
        onClick={copy}
      >
        Copy
      </button>
      <span role="status" className={styles.status}>
        {status}
      </span>
    </div>
  )
}
