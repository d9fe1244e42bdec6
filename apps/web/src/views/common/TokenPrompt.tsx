import { useId, useState, type FormEvent } from 'react'
import { createRoot } from 'react-dom/client'
import { setTokenPrompt, type TokenRequest } from '../../access-token.ts'
import { Dialog } from '../RunList/Dialog.tsx'
import dialog from '../RunList/Dialog.module.css'
import styles from './TokenPrompt.module.css'

/**
 * Installs the "Access token" dialog as the app's token prompt (access-token.ts). Each prompt
 * renders in a root of its own, above whatever page asked: the run list, a run page's rename,
 * an upload; the page itself needs no slot for it.
 */
export function installTokenPrompt(): void {
  setTokenPrompt(
    (request) =>
      new Promise((resolve) => {
        const container = document.createElement('div')
        document.body.append(container)
        const root = createRoot(container)
        const finish = (token: string | null) => {
          root.unmount()
          container.remove()
          resolve(token)
        }
        root.render(<TokenDialog request={request} onDone={finish} />)
      }),
  )
}

export function TokenDialog({
  request,
  onDone,
}: {
  request: TokenRequest
  onDone: (token: string | null) => void
}) {
  const [token, setToken] = useState('')
  const inputId = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (token.trim() !== '') onDone(token.trim())
  }
  return (
    <Dialog title="Access token" onClose={() => onDone(null)}>
      <form onSubmit={submit}>
        {request.refused ? (
          <p role="alert" className={dialog.error}>
            The server did not accept this access token: it is wrong or no longer valid. Enter the
            right one.
          </p>
        ) : (
          <p className={dialog.body}>
            This profhub server needs an access token to list, upload, change or delete runs. Ask
            whoever runs it for the token. It is kept in this browser.
          </p>
        )}
        <label htmlFor={inputId} className={styles.label}>
          Access token
        </label>
        <input
          id={inputId}
          type="password"
          className={styles.input}
          autoComplete="current-password"
          spellCheck={false}
          autoFocus
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <div className={dialog.buttons}>
          <button type="button" className={dialog.button} onClick={() => onDone(null)}>
            Cancel
          </button>
          <button
            type="submit"
            className={`${dialog.button} ${dialog.primary}`}
            disabled={token.trim() === ''}
          >
            Save
          </button>
        </div>
      </form>
    </Dialog>
  )
}
