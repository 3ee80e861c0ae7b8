// Bundles the agent into one plain-JS file for running on PCs: no TypeScript runtime, a small resident process.
import { copyFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))

await build({
  absWorkingDir: here,
  entryPoints: { 'lagebild-agent': 'src/cli.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  // Code behind a dynamic import (systeminformation, the collectors) becomes its own chunk, loaded only when needed,
  // so the resident agent stays small.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // systeminformation and others are CommonJS: give the bundle a real require.
  banner: { js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})

// The Windows posture and evidence scripts are read at run time next to the bundle.
copyFileSync(`${here}src/collectors/windows/posture.ps1`, `${here}dist/posture.ps1`)
copyFileSync(`${here}src/evidence/evidence.ps1`, `${here}dist/evidence.ps1`)
