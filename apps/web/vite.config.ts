import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// `pnpm dev` serves the app on :5173 and forwards the API to a server started separately
// (`pnpm --filter @profhub/server start`, port 8080). The build goes to dist/, which the
// server serves with a fallback to index.html for /runs/<id>.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
})
