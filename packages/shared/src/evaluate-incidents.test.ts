// Judging the phases 3 and 4 without a server: what an overview shows before, during and after an incident.
import { describe, expect, it } from 'vitest'
import { evaluateIncidents, type IncidentsInput, type JudgedIncident } from './evaluate-incidents.js'

const now = new Date('2026-11-30T12:00:00Z')
const ago = (min: number) => new Date(now.getTime() - min * 60_000).toISOString()
const H = 3_600_000

const prepared: IncidentsInput['prepared'] = { alertingChain: 2, firstContact: true, providers: 1, reporting: true, hostsWithAgent: 3, exercises: 1 }
const input = (incidents: JudgedIncident[], over: Partial<IncidentsInput> = {}): IncidentsInput => ({ incidents, prepared, trend: [], historyDays: 0, ...over })
const incident = (over: Partial<JudgedIncident> = {}): JudgedIncident => ({
  number: 'INC-2026-001', title: 'Ransomware', state: 'open', drill: false, openedAt: ago(5), resolvedAt: null, closedAt: null, espionageSuspected: false,
  hostIds: ['h1'], chain: [{ name: 'Anna', acknowledgedAt: null }, { name: 'Ben', acknowledgedAt: ago(1) }], steps: [], userReports: 0, clocks: [], evidence: [],
  timeline: { entries: 3, byPeople: 0, brokenAt: null, altered: [] }, tasks: [], watches: [], lessons: null, ...over,
})
const judged = (i: IncidentsInput) => Object.fromEntries(evaluateIncidents(i, now).findings.map((f) => [f.measureId, f]))

describe('before any incident', () => {
  it('handling is not applicable where prepared; not recorded where nothing is prepared', () => {
    const f = judged(input([]))
    expect(f['handle.alert']).toMatchObject({ status: 'not-applicable' })
    expect(f['handle.intelligence']).toMatchObject({ status: 'not-applicable' })
    expect(f['follow.lessons']).toMatchObject({ status: 'not-applicable' })
    const bare = evaluateIncidents(input([], { prepared: { alertingChain: 0, firstContact: false, providers: 0, reporting: false, hostsWithAgent: 0, exercises: 0 } }), now)
    expect(bare.notRecorded).toEqual(expect.arrayContaining(['handle.alert', 'handle.providers', 'handle.obligations', 'follow.lessons', 'follow.architecture']))
  })
})

describe('during an incident', () => {
  it('a step is in time until its target, then a deviation naming what is missing', () => {
    expect(judged(input([incident()]))['handle.alert']).toMatchObject({ status: 'ok', reason: { en: expect.stringContaining('still in time') } })
    const late = judged(input([incident({ openedAt: ago(20) })]))['handle.alert']!
    expect(late).toMatchObject({ status: 'deviation', severity: 'medium' })
    expect(late.reason.en).toContain('not acknowledged yet: Anna')
    expect(judged(input([incident({ openedAt: ago(80) })]))['handle.alert']!.severity).toBe('high')
  })
  it('a user report counts for handle.users; espionage brings the Verfassungsschutz step', () => {
    const f = judged(input([incident({ openedAt: ago(300), userReports: 1, espionageSuspected: true, steps: [{ kind: 'intelligence', outcome: null }] })]))
    expect(f['handle.users']!.status).toBe('ok')
    expect(f['handle.intelligence']).toMatchObject({ status: 'deviation', severity: 'medium' })
  })
  it('deadlines escalate: in time, half, last twelfth, overdue', () => {
    const clock = (startHoursAgo: number) => ({ startAt: now.getTime() - startHoursAgo * H, dueAt: now.getTime() - startHoursAgo * H + 24 * H, title: { de: 'Frühwarnung', en: 'early warning' }, state: 'running' as const })
    const sev = (h: number) => judged(input([incident({ clocks: [clock(h)] })]))['handle.obligations']!
    expect(sev(2)).toMatchObject({ status: 'ok' })
    expect(sev(13)).toMatchObject({ status: 'deviation', severity: 'medium' })
    expect(sev(23)).toMatchObject({ severity: 'high' })
    expect(sev(25)).toMatchObject({ severity: 'critical', reason: { en: expect.stringContaining('deadline passed 1 h ago') } })
  })
  it('an altered timeline or file is critical, in any incident', () => {
    const f = judged(input([incident({ state: 'closed', closedAt: ago(60), timeline: { entries: 9, byPeople: 2, brokenAt: 7, altered: ['pc_processes.txt'] } })]))
    expect(f['handle.document']).toMatchObject({ status: 'deviation', severity: 'critical' })
    expect(f['handle.document']!.reason.en).toContain('from entry 7')
    expect(f['handle.document']!.reason.en).toContain('pc_processes.txt')
  })
})

describe('after an incident', () => {
  const resolved = (over: Partial<JudgedIncident> = {}) => incident({ state: 'resolved', resolvedAt: ago(60), ...over })
  it('follow-up tasks: none yet, overdue, all done', () => {
    expect(judged(input([resolved()]))['follow.close-gaps']).toMatchObject({ status: 'deviation', severity: 'low' })
    expect(judged(input([resolved({ tasks: [{ title: 'Patch', owner: 'IT', dueOn: '2026-11-01', state: 'open' }] })]))['follow.close-gaps']).toMatchObject({ severity: 'medium' })
    expect(judged(input([resolved({ tasks: [{ title: 'Patch', owner: 'IT', dueOn: '2026-11-01', state: 'done' }] })]))['follow.close-gaps']).toMatchObject({ status: 'ok' })
  })
  it('heightened monitoring and lessons are expected', () => {
    const f = judged(input([resolved({ state: 'closed', closedAt: ago(30) })]))
    expect(f['follow.watch']).toMatchObject({ status: 'deviation' })
    expect(f['follow.lessons']).toMatchObject({ status: 'deviation', severity: 'medium' })
    const g = judged(input([resolved({ watches: [{ hostname: 'pc', until: new Date(now.getTime() + 24 * H).toISOString(), confirmedAt: ago(1), startedAt: ago(10) }], lessons: { recordedAt: ago(5), openActions: 0 } })]))
    expect(g['follow.watch']!.status).toBe('ok')
    expect(g['follow.lessons']!.status).toBe('ok')
  })
  it('compliance history: a measure 10 points worse than 30 days ago is a step back', () => {
    const f = judged(input([], { historyDays: 40, trend: [{ measureId: 'base.firewall', before: 1, now: 0.8 }, { measureId: 'base.patches', before: 0.5, now: 0.9 }] }))
    expect(f['follow.architecture']).toMatchObject({ status: 'deviation', reason: { en: 'Worse than 30 days ago: Firewall 100 % → 80 %.' } })
  })
})
