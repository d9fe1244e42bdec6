import { useSyncExternalStore } from 'react'
import {
  activeTheme,
  activeThemeChoice,
  subscribeTheme,
  type Theme,
  type ThemeChoice,
} from '../../theme.ts'

/** The theme in use; the component re-renders when it changes (canvas charts redraw). */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribeTheme, activeTheme)
}

/** The person's choice: System, Light or Dark. */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribeTheme, activeThemeChoice)
}
