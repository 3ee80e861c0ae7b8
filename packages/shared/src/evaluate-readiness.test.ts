// Judging the organisation without a server: nothing recorded, everything in order, and each way a record falls short.
import { describe, expect, it } from 'vitest'
import { evaluateReadiness } from './evaluate-readiness.js'
import { reportingClocks } from './judge-organisation.js'
import { buildCard, cardReachable, cardText } from './card.js'
import { boardPageOf } from './board.js'
import { CARD_QR_PATH, DEFAULT_COMPANY, MEASURE_FIX_PATH, ORG_MEASURES, RECORDS, WEEKDAYS, type ContactInput, type Entry, type Window } from './readiness.js'
import { DEFAULT_COMMUNICATION, DEFAULT_PLAN, FIRST_STEPS } from './readiness-texts.js'
import type { MetaRow, ReadinessInput } from './readiness-input.js'

const now = new Date('2026-11-28T09:00:00.000Z')
const stamp = { createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z' }
const ALWAYS: Window[] = WEEKDAYS.map((day) => ({ day, from: '00:00', to: '24:00' }))
const OFFICE: Window[] = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, from: '08:00', to: '18:00' }))

const contact = (id: string, over: Partial<ContactInput> = {}): Entry<ContactInput> => ({
  id, kind: 'person', name: id, organisation: '', function: '', phone: '+49 30 1234567', mobile: null, email: null, timeZone: null,
  availability: OFFICE, notes: '', ...stamp, ...over,
})
const meta = (lastReviewedAt = '2026-11-01T00:00:00.000Z', reviewIntervalDays = 365): MetaRow => ({ owner: 'Anna', reviewIntervalDays, lastReviewedAt })

function empty(): ReadinessInput {
  return {
    company: { ...DEFAULT_COMPANY }, meta: {}, contacts: [], roles: null, providers: [], plan: null, communication: null, crownJewels: [],
    reporting: null, exercises: [], pentests: [], trainings: [], restoreTests: [], twoFactor: [], networkPlan: null, segmentation: null,
    hosts: { total: 0, names: {}, flaggedWithoutProcess: [] }, backupSources: [], channels: 0, neglectedAlerts: 0,
  }
}

/** A company that has done everything the guide asks. */
function complete(): ReadinessInput {
  const kinds = ['roles', 'contacts', 'providers', 'plan', 'communication', 'crown-jewels', 'reporting', 'exercises', 'pentests', 'trainings', 'restore-tests', 'two-factor', 'network-plan', 'segmentation'] as const
  return {
    ...empty(),
    company: { ...DEFAULT_COMPANY, name: 'Muster GmbH', federalState: 'BE', staffCount: 3, deviceCount: 2 },
    meta: Object.fromEntries(kinds.map((k) => [k, meta(undefined, RECORDS[k].defaultIntervalDays)])),
    contacts: [
      contact('anna'), contact('ben'), contact('it', { kind: 'it-provider', availability: ALWAYS }),
      contact('dsb', { kind: 'data-protection-authority', availability: [] }), contact('zac', { kind: 'police', availability: [] }),
    ],
    roles: { assignments: [
      { role: 'first-contact', holderId: 'anna', deputyIds: ['ben'] },
      { role: 'security-officer', holderId: 'ben', deputyIds: ['anna'] },
      { role: 'emergency-manager', holderId: 'anna', deputyIds: ['ben'] },
    ] },
    providers: [{ id: 'p1', name: 'IT Schmidt', contactId: 'it', scope: 'All PCs and the server', supports: ['ransomware', 'outage'], responseTimeHours: 2, contractReviewDate: '2027-06-30', standby: true, incidentResponse: true, notes: '', ...stamp }],
    plan: { ...DEFAULT_PLAN, alertingChain: [{ contactId: 'anna', note: '' }, { contactId: 'it', note: '' }] },
    communication: { ...DEFAULT_COMMUNICATION, spokespersonId: 'anna' },
    crownJewels: [{ id: 'c1', name: 'Rechnungen', description: '', maxDowntimeHours: 24, hostIds: ['h1'], services: ['DATEV'], ...stamp }],
    reporting: { personalData: 'yes', nis2Sector: 'no', nis2Size: 'no', kritis: 'no', bsiRegistered: false, insurerNoticeHours: 48 },
    exercises: [{ id: 'e1', date: '2026-05-04', scenario: 'ransomware', title: 'Tabletop', participants: ['anna', 'ben'], lessons: '', ...stamp }],
    pentests: [{ id: 'pt', date: '2025-09-01', tester: 'Pentest AG', scope: 'Internet-facing', findings: [{ title: 'Old TLS', severity: 'medium', fixedOn: '2025-10-01' }], ...stamp }],
    trainings: [{ id: 't1', date: '2026-10-01', topic: 'Phishing', participants: ['Anna', 'Ben', 'Cem'], ...stamp }],
    restoreTests: [{ id: 'r1', date: '2026-09-01', source: 'restic sftp:nas:/srv/restic', result: 'success', durationMinutes: 30, notes: '', ...stamp }],
    twoFactor: [{ id: 'f1', service: 'Microsoft 365', state: 'enforced', checkedOn: '2026-11-01', notes: '', ...stamp }],
    networkPlan: { name: 'netzplan.pdf', uploadedAt: '2026-11-01T00:00:00.000Z' },
    segmentation: { zones: [{ name: 'Büro', purpose: '' }, { name: 'Gäste-WLAN', purpose: '' }], notes: '' },
    hosts: { total: 2, names: { h1: 'srv-buchhaltung' }, flaggedWithoutProcess: [] },
    backupSources: ['restic sftp:nas:/srv/restic'],
    channels: 1,
  }
}

const judge = (input: ReadinessInput) => evaluateReadiness(input, now)
const finding = (input: ReadinessInput, id: string) => judge(input).findings.find((f) => f.measureId === id)

describe('a company that has recorded nothing', () => {
  it('has no organisational finding at all: every measure is "not recorded", none a deviation', () => {
    const r = judge(empty())
    expect(r.findings).toEqual([])
    expect(r.notRecorded).toEqual([...ORG_MEASURES])
    expect(r.records.every((x) => !x.recorded && !x.overdue)).toBe(true)
  })
})

describe('a company that has done everything', () => {
  it('is ok on every organisational measure, with a reason a person understands', () => {
    const r = judge(complete())
    expect(r.notRecorded).toEqual([])
    for (const f of r.findings) expect({ id: f.measureId, status: f.status, reason: f.reason.en }).toMatchObject({ status: 'ok' })
    expect(r.findings.find((f) => f.measureId === 'ready.card')!.reason.en).toContain('First contact anna, deputy ben')
    expect(r.findings.find((f) => f.measureId === 'prep.reporting')!.reason.de).toContain('DSGVO Art. 33')
  })
})

describe('roles and the first contact', () => {
  it('a missing deputy is a deviation of prep.roles that names the role and the person', () => {
    const input = complete()
    input.roles!.assignments[1] = { role: 'security-officer', holderId: 'ben', deputyIds: [] }
    expect(finding(input, 'prep.roles')).toMatchObject({ status: 'deviation', severity: 'medium', reason: { en: 'IT security officer (ben) has no deputy.' } })
    expect(finding(input, 'prep.roles')!.fix?.en).toContain('Readiness → People')
  })

  it('no first contact: high on both prep.roles and ready.card, and the card says whom to ask', () => {
    const input = complete()
    input.roles!.assignments[0] = { role: 'first-contact', holderId: null, deputyIds: [] }
    expect(finding(input, 'ready.card')).toMatchObject({ status: 'deviation', severity: 'high' })
    expect(finding(input, 'prep.roles')).toMatchObject({ status: 'deviation', severity: 'high' })
    const card = { ...buildCard(input, null, now), version: 'x', generatedAt: now.toISOString() }
    expect(cardReachable(card)).toBe(false)
    expect(cardText(card, 'de')).toContain('Noch kein Erstkontakt hinterlegt')
  })

  it('office hours without a standby provider: ready.card names the uncovered hours', () => {
    const input = complete()
    input.providers[0]!.standby = false
    const f = finding(input, 'ready.card')!
    expect(f).toMatchObject({ status: 'deviation', severity: 'medium' })
    expect(f.reason.de).toContain('Fr 18:00 – Mo 08:00')
    expect(f.reason.en).toContain('Mon 18:00 – Tue 08:00')
  })

  it('a first contact without phone cannot be called, even with an e-mail address', () => {
    const input = complete()
    input.contacts[0] = contact('anna', { phone: null, email: 'anna@example.com' })
    expect(finding(input, 'ready.card')).toMatchObject({ status: 'deviation', severity: 'high', reason: { en: 'The first contact anna has no phone number.' } })
    expect(finding(input, 'prep.contacts')!.reason.en).toContain('No phone number: anna')
  })
})

describe('reviews and intervals', () => {
  it('an overdue review is a deviation of the record\'s measure and of follow.docs', () => {
    const input = complete()
    input.meta.contacts = meta('2026-01-01T00:00:00.000Z', 180)
    expect(finding(input, 'prep.contacts')).toMatchObject({ status: 'deviation', reason: { en: 'Contact list: review due since 2026-06-30.' } })
    expect(finding(input, 'follow.docs')).toMatchObject({ status: 'deviation', reason: { de: 'Überprüfung überfällig: Kontaktliste (seit 30.06.2026).' } })
    const state = judge(input).records.find((r) => r.kind === 'contacts')!
    expect(state).toMatchObject({ overdue: true, dueAt: '2026-06-30T00:00:00.000Z' })
  })

  it('exercises every 12 months, penetration tests every 24: the day after the interval it turns', () => {
    const input = complete()
    input.exercises[0]!.date = '2025-11-28'
    expect(finding(input, 'prep.exercises')!.status).toBe('ok')
    input.exercises[0]!.date = '2025-11-27'
    expect(finding(input, 'prep.exercises')).toMatchObject({ status: 'deviation', reason: { en: 'Last exercise on 2025-11-27, 12 months ago (interval 12 months).' } })
    input.pentests[0]!.date = '2024-11-27'
    expect(finding(input, 'prep.pentest')!.status).toBe('deviation')
    // A shorter interval of the company's own choosing applies too.
    const short = complete()
    short.meta.exercises = meta(undefined, 90)
    expect(finding(short, 'prep.exercises')!.status).toBe('deviation')
  })

  it('an open pentest finding keeps the measure red with the finding\'s severity, however recent the test', () => {
    const input = complete()
    input.pentests[0] = { ...input.pentests[0]!, date: '2026-11-01', findings: [{ title: 'SMB open to the internet', severity: 'high', fixedOn: null }] }
    expect(finding(input, 'prep.pentest')).toMatchObject({ status: 'deviation', severity: 'high', reason: { en: '1 open finding, e.g. SMB open to the internet.' } })
  })

  it('trainings count people, not sessions, within the interval; without a staff count it is unknown', () => {
    const input = complete()
    input.company.staffCount = 10
    input.trainings.push({ id: 't2', date: '2026-11-02', topic: 'Again', participants: ['anna', 'BEN '], ...stamp })
    expect(finding(input, 'prep.training')).toMatchObject({ status: 'deviation', reason: { en: '3 of 10 staff (30 %) trained in the last 12 months; 90 % are needed.' } })
    input.company.staffCount = null
    expect(finding(input, 'prep.training')!.status).toBe('unknown')
  })

  it('restore tests: every source the agents report, within the interval, successful', () => {
    const input = complete()
    input.backupSources.push('borg /srv/borg')
    expect(finding(input, 'base.backups')).toMatchObject({ status: 'deviation', reason: { en: 'Never restored: borg /srv/borg.' } })
    input.restoreTests.push({ id: 'r2', date: '2026-11-20', source: 'borg /srv/borg', result: 'failed', durationMinutes: null, notes: '', ...stamp })
    expect(finding(input, 'base.backups')).toMatchObject({ status: 'deviation', severity: 'high' })
    input.restoreTests.push({ id: 'r3', date: '2026-11-25', source: 'BORG /srv/borg', result: 'success', durationMinutes: null, notes: '', ...stamp })
    expect(finding(input, 'base.backups')!.status).toBe('ok')
  })

  it('a contract review date in the past is a deviation of prep.providers; no incident-response provider one of prep.more-providers', () => {
    const input = complete()
    input.providers[0]!.contractReviewDate = '2026-11-27'
    input.providers[0]!.incidentResponse = false
    expect(finding(input, 'prep.providers')!.reason.en).toContain('IT Schmidt: contract review due since 2026-11-27.')
    expect(finding(input, 'prep.more-providers')).toMatchObject({ status: 'deviation', severity: 'medium' })
  })
})

describe('the other records', () => {
  it('reporting: NIS2 applies without BSI registration → high; the clocks that later apply in an incident', () => {
    const input = complete()
    input.reporting = { ...input.reporting!, nis2Sector: 'yes', nis2Size: 'yes' }
    expect(finding(input, 'prep.reporting')).toMatchObject({ status: 'deviation', severity: 'high' })
    expect(reportingClocks(input.reporting).map((c) => [c.id, c.hours])).toEqual([
      ['gdpr-authority', 72], ['nis2-early-warning', 24], ['nis2-notification', 72], ['nis2-final', 720], ['insurer', 48],
    ])
    input.reporting = { ...input.reporting, kritis: 'unsure', bsiRegistered: true }
    expect(finding(input, 'prep.reporting')!.reason.en).toContain('Still unclear: 1 applicability question (NIS2/KRITIS/GDPR)')
  })

  it('crown jewels: a host flagged on its own page but in no process, and a removed host, are named', () => {
    const input = complete()
    input.hosts = { total: 2, names: {}, flaggedWithoutProcess: ['pc-chef'] }
    const f = finding(input, 'prep.crown-jewels')!
    expect(f.status).toBe('deviation')
    expect(f.reason.en).toContain('Rechnungen: 1 host no longer exists.')
    expect(f.reason.en).toContain('Marked as crown jewel but part of no process: pc-chef.')
  })

  it('monitoring compares enrolled hosts with the company\'s computers; status needs a channel once hosts report', () => {
    const input = complete()
    input.company.deviceCount = 5
    expect(finding(input, 'prep.monitoring')).toMatchObject({ status: 'deviation', reason: { en: 'Only 2 of 5 computers have an agent.' } })
    input.channels = 0
    input.neglectedAlerts = 2
    expect(finding(input, 'ready.status')!.reason.en).toBe('No alert channel set up: nobody hears about deviations. 2 alerts unacknowledged for more than 7 days.')
  })

  it('two-factor off on a critical service, and a flat network, are deviations of the technical measures\' record parts', () => {
    const input = complete()
    input.twoFactor.push({ id: 'f2', service: 'Online-Banking', state: 'off', checkedOn: '2026-11-01', notes: '', ...stamp })
    input.segmentation = { zones: [{ name: 'Alles', purpose: '' }], notes: '' }
    expect(finding(input, 'base.passwords')).toMatchObject({ status: 'deviation', severity: 'medium', reason: { en: 'Two-factor off: Online-Banking.' } })
    expect(finding(input, 'base.segmentation')).toMatchObject({ status: 'deviation', severity: 'low' })
  })
})

describe('every way to fix a measure leads to a page of the board', () => {
  it('record pages, fix paths and first steps are board pages (so a link never ends on "not found")', () => {
    const paths = [...Object.values(RECORDS).map((r) => r.path), ...Object.values(MEASURE_FIX_PATH), ...FIRST_STEPS.map((s) => s.path), CARD_QR_PATH]
    for (const p of paths) expect(boardPageOf(p.split('#')[0]!), p).not.toBeNull()
    // Every organisational measure has a fix path, and every record's measure is one of them.
    for (const r of Object.values(RECORDS)) expect(ORG_MEASURES).toContain(r.measureId)
  })
})
