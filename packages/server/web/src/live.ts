// The live channel: one WebSocket per tab, reconnecting with backoff; pages subscribe and refetch on events.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { LiveEvent } from '@lagebild/shared'

export type { LiveEvent }
type Listener = (e: LiveEvent) => void

const listeners = new Set<Listener>()
const stateListeners = new Set<(up: boolean) => void>()
let socket: WebSocket | null = null
let up = false
let retry = 0
let timer: number | undefined
let wanted = false

function setUp(v: boolean) {
  up = v
  stateListeners.forEach((l) => l(v))
}

function connect() {
  if (!wanted) return
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/live`
  const ws = new WebSocket(url)
  socket = ws
  ws.onopen = () => {
    retry = 0
    setUp(true)
  }
  ws.onmessage = (m) => {
    let e: LiveEvent
    try {
      e = JSON.parse(String(m.data)) as LiveEvent
    } catch {
      return
    }
    // The server only sends LiveEvent frames; a listener filters on `type`, so an unknown one just passes by.
    if (typeof e === 'object' && e !== null && typeof e.type === 'string') listeners.forEach((l) => l(e))
  }
  ws.onclose = () => {
    if (socket === ws) socket = null
    setUp(false)
    if (!wanted) return
    // 1 s, 2 s, 4 s … at most 30 s, with jitter so many tabs do not reconnect at once.
    const delay = Math.min(30_000, 1000 * 2 ** retry++) * (0.75 + Math.random() / 2)
    timer = window.setTimeout(connect, delay)
  }
}

export function startLive() {
  if (wanted) return
  wanted = true
  connect()
}

export function stopLive() {
  wanted = false
  window.clearTimeout(timer)
  socket?.close()
  socket = null
  setUp(false)
}

export function useLiveState(): boolean {
  const [v, set] = useState(up)
  useEffect(() => {
    stateListeners.add(set)
    return () => void stateListeners.delete(set)
  }, [])
  return v
}

/** Calls `fn` at most once per `delayMs` while events pass `filter`; also after a reconnect, since events may have been missed. */
export function useLive(fn: () => void, filter: (e: LiveEvent) => boolean = () => true, delayMs = 300) {
  const fnRef = useRef(fn)
  const filterRef = useRef(filter)
  fnRef.current = fn
  filterRef.current = filter
  useEffect(() => {
    let t: number | undefined
    // Throttle, not debounce: under a steady stream of reports a debounce would never fire.
    const fire = () => {
      if (t !== undefined) return
      t = window.setTimeout(() => {
        t = undefined
        fnRef.current()
      }, delayMs)
    }
    const l: Listener = (e) => {
      if (filterRef.current(e)) fire()
    }
    let wasUp = up
    const s = (v: boolean) => {
      if (v && !wasUp) fire()
      wasUp = v
    }
    listeners.add(l)
    stateListeners.add(s)
    return () => {
      listeners.delete(l)
      stateListeners.delete(s)
      window.clearTimeout(t)
    }
  }, [delayMs])
}
