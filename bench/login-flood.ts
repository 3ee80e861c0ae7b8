// A login flood (issue #11 item 7): 64 wrong logins at once from 64 addresses (127.0.3.1 … 127.0.3.64), in waves for
// 30 s, against the real server CLI. Meanwhile the board (GET /, a static file read through libuv's worker pool — the
// pool scrypt uses), /healthz and a real admin login (from a browser that logged in before) are timed.
// Run: npm run build && node_modules/.bin/tsx bench/login-flood.ts [parallel=64] [seconds=30]
import { request } from 'node:http'
import { removeDir, startServer } from '../tests/lib/real.js'

const PARALLEL = Number(process.argv[2] ?? 64)
const SECONDS = Number(process.argv[3] ?? 30)
const PASSWORD = 'correct horse battery staple'

function call(port: number, method: string, path: string, from: string, body?: string, cookie?: string): Promise<{ status: number; ms: number; cookies: string[] }> {
  const t = performance.now()
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, localAddress: from, agent: false, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t, cookies: [res.headers['set-cookie'] ?? []].flat() }))
    })
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t, cookies: [] }))
    req.setTimeout(60_000, () => req.destroy())
    req.end(body)
  })
}
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : NaN)

const server = await startServer({ LAGEBILD_ADMIN_PASSWORD: PASSWORD, LAGEBILD_LOG_LEVEL: 'error' })
const port = Number(new URL(server.url).port)
const login = (user: string, password: string, from: string, cookie?: string) => call(port, 'POST', '/api/v1/auth/login', from, JSON.stringify({ username: user, password }), cookie)

// The admin logs in once from their browser (before the attack): it keeps a device cookie.
const first = await login('admin', PASSWORD, '127.0.2.1')
const device = first.cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('lagebild_device=') || c.startsWith('__Host-lagebild_device='))
const quiet = await call(port, 'GET', '/', '127.0.2.1')

let running = true
const outcomes: Record<string, number> = {}
const attacker = async (i: number) => {
  while (running) {
    const r = await login(i % 2 ? 'admin' : `user${i}`, `guess-${Math.random()}`, `127.0.3.${1 + i}`)
    outcomes[r.status] = (outcomes[r.status] ?? 0) + 1
  }
}
const flood = Array.from({ length: PARALLEL }, (_, i) => attacker(i))
await new Promise((r) => setTimeout(r, 2000))
const board: number[] = []
const health: number[] = []
const adminLogin: { status: number; ms: number }[] = []
const end = Date.now() + SECONDS * 1000
while (Date.now() < end) {
  board.push((await call(port, 'GET', '/', '127.0.2.1')).ms)
  health.push((await call(port, 'GET', '/healthz', '127.0.2.1')).ms)
  if (adminLogin.length < 5) adminLogin.push(await login('admin', PASSWORD, '127.0.2.1', device))
  await new Promise((r) => setTimeout(r, 500))
}
running = false
await Promise.all(flood)
console.log(`GET / without attack: ${quiet.ms.toFixed(0)} ms (status ${quiet.status})`)
console.log(`${PARALLEL} wrong logins at once from ${PARALLEL} addresses for ${SECONDS} s; their answers: ${Object.entries(outcomes).map(([s, n]) => `${s}: ${n}`).join(', ')}`)
console.log(`GET / (board)   p50 ${pct(board, 0.5).toFixed(0)} ms, p95 ${pct(board, 0.95).toFixed(0)} ms, max ${Math.max(...board).toFixed(0)} ms (${board.length} requests)`)
console.log(`GET /healthz    p50 ${pct(health, 0.5).toFixed(0)} ms, p95 ${pct(health, 0.95).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms`)
console.log(`admin login from the browser used before: ${adminLogin.map((l) => `${l.status} in ${l.ms.toFixed(0)} ms`).join(', ')}`)
await server.stop()
removeDir(server.dataDir)
