// node-cron wiring only: one task a minute, at a random second (splay) so agents do not all report at once.
import cron from 'node-cron'

export interface Schedule {
  stop(): void
}

export function everyMinute(fn: () => Promise<void> | void, splaySeconds = Math.floor(Math.random() * 60)): Schedule {
  const task = cron.schedule(`${splaySeconds} * * * * *`, async () => {
    await fn()
  }, { noOverlap: true, name: 'lagebild-agent-tick' })
  return { stop: () => void task.stop() }
}
