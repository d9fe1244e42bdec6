import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { startHistorySync } from './navigation.ts'
import { startThemeSync } from './theme.ts'
import { installTokenPrompt } from './views/common/TokenPrompt.tsx'
import './global.css'

startThemeSync()
startHistorySync()
installTokenPrompt()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
