// Compiles the server once, so that it starts with plain `node dist/server.js`: compiling
// TypeScript at every start (tsx) made a busy machine miss Fastify's plugin timeout.
// Three bundles: the server, its worker thread and its process launcher. Our workspace packages (@profhub/*, which
// export TypeScript source) are bundled in; npm dependencies stay in node_modules.
import { rm } from 'node:fs/promises'
import { build } from 'esbuild'

const root = import.meta.dirname

/** Bare imports are external (node_modules), except our own TypeScript packages. */
const externalNpmPackages = {
  name: 'external-npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@profhub/') ? undefined : { path: args.path, external: true },
    )
  },
}

await rm(`${root}/dist`, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: {
    server: 'src/server.ts',
    'profile-worker': 'src/converter/profile-worker.ts',
    launcher: 'src/converter/launcher.mjs',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalNpmPackages],
})
