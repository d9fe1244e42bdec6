import { useEffect } from 'react'
import { ensureMemoryLoaded } from '../../actions.ts'
import type { MemoryDocument } from '../../memory.ts'
import { mayHaveMemory } from '../../run-details.ts'
import { useAppStore, type Loadable } from '../../store.ts'

const NONE: Loadable<MemoryDocument | null> = { status: 'ready', data: null }
const LOADING: Loadable<MemoryDocument | null> = { status: 'loading' }

/**
 * A run's memory document, loaded on first use; `null` data: the run has none. A run the server
 * says has none is not asked for (its 404 would be logged in the console for nothing).
 */
export function useRunMemory(run: { id: string } | null): Loadable<MemoryDocument | null> {
  const asks = run !== null && mayHaveMemory(run)
  const id = run?.id ?? ''
  const state = useAppStore((s) => s.memory[id])
  useEffect(() => {
    if (asks) ensureMemoryLoaded(id)
  }, [asks, id])
  if (!asks) return NONE
  return state ?? LOADING
}
