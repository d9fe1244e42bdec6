import { Fragment, useEffect, useRef, type KeyboardEvent } from 'react'
import { Dialog } from '../RunList/Dialog.tsx'
import dialog from '../RunList/Dialog.module.css'
import styles from './ShortcutsDialog.module.css'

interface Shortcut {
  /** Each alternative is a list of keys pressed together. */
  keys: string[][]
  action: string
}

/**
 * Every keyboard shortcut of the app, where it applies. The keys are handled where they act
 * (ChartCanvas, use-selectable-rows, the tab lists, RunHeader, NoteEditor, DownloadMenu…): a
 * new one belongs in this list too.
 */
export const SHORTCUT_GROUPS: { title: string; shortcuts: Shortcut[] }[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { keys: [['?']], action: 'Show these shortcuts (outside a text field)' },
      { keys: [['Esc']], action: 'Close a dialog or menu' },
    ],
  },
  {
    title: 'Charts (Sunburst, Icicle, Bottom-up)',
    shortcuts: [
      { keys: [['↑']], action: 'Cursor to the caller' },
      { keys: [['↓']], action: 'Cursor to the heaviest callee' },
      { keys: [['←'], ['→']], action: 'Cursor to the neighbour on the same level' },
      { keys: [['Enter'], ['Space']], action: 'Focus the chart on the call under the cursor' },
      { keys: [['Esc'], ['Backspace']], action: 'Go up one level' },
      { keys: [['Home']], action: 'Cursor back to the focused call' },
    ],
  },
  {
    title: 'Tables (functions, changes)',
    shortcuts: [
      { keys: [['↑'], ['↓']], action: 'Select the previous or next function' },
      { keys: [['Page Up'], ['Page Down']], action: 'Move a page up or down' },
      { keys: [['Home'], ['End']], action: 'Select the first or last function' },
      { keys: [['Enter'], ['Space']], action: 'Select the function of the focused row' },
    ],
  },
  {
    title: 'Tabs (Views)',
    shortcuts: [{ keys: [['←'], ['→']], action: 'Previous or next view' }],
  },
  {
    title: 'Run page',
    shortcuts: [
      { keys: [['Enter']], action: 'Run name: save the new name' },
      { keys: [['Esc']], action: 'Run name: cancel renaming' },
      { keys: [['↓'], ['↑']], action: 'Download button: open its menu' },
      { keys: [['↑'], ['↓'], ['Home'], ['End']], action: 'Download menu: move between items' },
    ],
  },
  {
    title: 'Run list',
    shortcuts: [
      { keys: [['Enter']], action: 'Search runs: search at once' },
      {
        keys: [
          ['Ctrl', 'Enter'],
          ['⌘', 'Enter'],
        ],
        action: 'Note: save',
      },
      { keys: [['Esc']], action: 'Note: cancel editing' },
    ],
  },
]

/** The "Keyboard shortcuts" dialog (opened with `?` or the header's ? button). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => closeRef.current?.focus({ preventScroll: true }), [])
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <div onKeyDown={keepTabInside}>
        <div className={styles.groups}>
          {SHORTCUT_GROUPS.map((group) => (
            <section key={group.title} className={styles.group}>
              <h3 className={styles.groupTitle}>{group.title}</h3>
              <dl className={styles.list}>
                {group.shortcuts.map((shortcut) => (
                  <div key={shortcut.action} className={styles.row}>
                    <dt className={styles.keys}>
                      {shortcut.keys.map((combo, i) => (
                        <Fragment key={i}>
                          {i > 0 && <span className={styles.or}> or </span>}
                          {combo.map((key, j) => (
                            <Fragment key={j}>
                              {j > 0 && '+'}
                              <kbd className={styles.key}>{key}</kbd>
                            </Fragment>
                          ))}
                        </Fragment>
                      ))}
                    </dt>
                    <dd className={styles.action}>{shortcut.action}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <div className={dialog.buttons}>
          {/* Focused on opening: the dialog has focus, and Enter closes it. Without
              scrolling to it: the list is read from its top. */}
          <button type="button" className={dialog.button} ref={closeRef} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  )
}

/**
 * Tab and Shift+Tab cycle inside the dialog: a modal <dialog> keeps focus off the page behind
 * it, but lets Tab leave for the browser's own controls, and with one button here the next
 * Tab would already be out.
 */
function keepTabInside(event: KeyboardEvent<HTMLElement>) {
  if (event.key !== 'Tab') return
  const dialog = event.currentTarget.closest('dialog')
  if (!dialog) return
  const focusable = [
    ...dialog.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]'),
  ].filter((element) => !element.hasAttribute('disabled') && element.tabIndex >= 0)
  const first = focusable[0]
  const last = focusable[focusable.length - 1]
  if (!first || !last) return
  const active = document.activeElement
  if (event.shiftKey ? active === first : active === last) {
    event.preventDefault()
    ;(event.shiftKey ? last : first).focus()
  }
}
