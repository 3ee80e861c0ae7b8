// Builds the board (Preact) into ../web-dist, which the server serves with @fastify/static.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  root: here('.'),
  base: '/',
  // No @preact/preset-vite: the JSX transform of Vite itself (Oxc) with Preact's runtime is all we need.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../web-dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One small bundle: no preload polyfill script (it would need an inline script, which our CSP forbids).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
})
