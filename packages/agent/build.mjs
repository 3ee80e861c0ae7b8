// Bundles the agent into one plain-JS file for running on PCs: no TypeScript runtime, a small resident process.
import { copyFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))

await build({
  absWorkingDir: here,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/lagebild-agent.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  // systeminformation and others are CommonJS: give the bundle a real require.
  banner: { js: "import { createRequire as __lbCreateRequire } from 'node:module'; const require = __lbCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})

// The Windows posture script is read at run time next to the bundle.
copyFileSync(`${here}src/collectors/windows/posture.ps1`, `${here}dist/posture.ps1`)
