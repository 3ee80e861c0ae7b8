#!/usr/bin/env node
// Runs the bundled agent (dist/, built by `pnpm run build`) when it is current, else the TypeScript source through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist/lagebild-agent.mjs')

function newest(dir) {
  let max = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) max = Math.max(max, e.name === 'fixtures' ? 0 : newest(p))
    else if ((e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) || e.name.endsWith('.ps1')) max = Math.max(max, statSync(p).mtimeMs)
  }
  return max
}

const fresh = existsSync(dist) && statSync(dist).mtimeMs >= Math.max(newest(join(root, 'src')), newest(join(root, '../shared/src')))
if (fresh) {
  await import(dist)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli.ts')
}
