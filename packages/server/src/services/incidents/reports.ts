// Reports of people at a PC (handle.users): the card's questions, from `lagebild-agent report` (with the PC's identity and
// current facts) or from the web form behind the card's QR code (no account). A report from an enrolled PC joins the
// incident that is going on, or opens one when none is; a report from the web form opens nothing by itself — anyone on
// the network can send it — it notifies the channels and waits until a person assigns it.
import { randomBytes, randomUUID } from 'node:crypto'
import { desc, eq, isNull } from 'drizzle-orm'
import { USER_REPORT_FIELDS, type AgentUserReport, type Language, type UserReportAnswers } from '@lagebild/shared'
import { hosts, userReports } from '../../db/schema.js'
import { InputError } from '../../errors.js'
import { appendEntry } from './timeline.js'
import { queueMessage, webReportMessage } from './notify.js'
import { openIncident } from './lifecycle.js'
import { getIncident, openIncidents, type IncidentChange, type Tx } from './store.js'

const t = (de: string, en: string) => ({ de, en })
export type UserReportRow = typeof userReports.$inferSelect

/** A number the reporter can quote on the phone: M-7K3Q9D (no 0/O or 1/I to mix up). */
function receipt(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
  return `M-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')}`
}

/** The answers as lines, with the questions in both languages (the timeline is read by everyone, and stays as written). */
export function answersText(a: UserReportAnswers): string {
  const q = (s: string) => s.replace(/\?.*$/, '?')
  return (Object.keys(USER_REPORT_FIELDS) as (keyof UserReportAnswers)[])
    .filter((k) => a[k])
    .map((k) => `${q(USER_REPORT_FIELDS[k].de)} / ${q(USER_REPORT_FIELDS[k].en)} ${a[k]}`)
    .join('\n')
}

/** The report becomes part of an incident: a timeline entry in the reporter's name. */
function join(tx: Tx, c: IncidentChange, r: UserReportRow, incidentId: string, hostname: string | null) {
  tx.update(userReports).set({ incidentId }).where(eq(userReports.id, r.id)).run()
  const a = r.answers as UserReportAnswers
  appendEntry(tx, incidentId, {
    author: a.reporter, kind: 'user-report',
    text: `${r.receipt} (${r.via === 'agent' ? `lagebild-agent report${hostname ? `, ${hostname}` : ''}` : 'Webformular / web form'})\n${answersText(a)}`,
    data: { reportId: r.id, receipt: r.receipt, via: r.via, hostId: r.hostId, hostname, answers: a, reportedAt: r.reportedAt },
  }, c.now)
  c.touched.add(incidentId)
}

/** A report from an enrolled PC. The same report id again (a replay from the agent's spool) changes nothing. */
export function reportFromAgent(tx: Tx, c: IncidentChange, agent: { id: string; hostId: string }, body: AgentUserReport): { row: UserReportRow; duplicate: boolean } {
  const seen = tx.select().from(userReports).where(eq(userReports.id, body.id)).get()
  if (seen) return { row: seen, duplicate: true }
  const host = tx.select().from(hosts).where(eq(hosts.id, agent.hostId)).get()
  if (!host) throw new InputError(t('Der Agent hat keinen Rechner.', 'The agent has no host.'), '/', 'unauthenticated')
  if (host.machineId !== body.host.machineId)
    throw new InputError(t('Die Meldung nennt einen anderen Rechner als den, für den der Agent angemeldet ist.', 'The report names another machine than the one this agent is enrolled for.'), '/host/machineId', 'conflict')
  const row: UserReportRow = {
    id: body.id, receipt: receipt(), incidentId: null, via: 'agent', hostId: host.id, lang: body.lang, answers: body.answers,
    context: { host: body.host, snapshot: body.snapshot, snapshotError: body.snapshotError, agentId: agent.id },
    reportedAt: body.reportedAt, receivedAt: c.now.toISOString(),
  }
  tx.insert(userReports).values(row).run()
  const active = openIncidents(tx, ['open', 'contained'])
  if (active.length === 1) join(tx, c, row, active[0]!.id, host.hostname)
  else if (!active.length) {
    const i = openIncident(tx, c, {
      title: `Meldung von ${body.answers.reporter}: ${body.answers.system}`.slice(0, 200), scenario: 'other', severity: 'medium',
      description: body.answers.observed, hostIds: [host.id],
    }, { source: 'user-report', openedBy: body.answers.reporter })
    join(tx, c, row, i.id, host.hostname)
  } else c.touched.add(null)
  c.audit({ action: 'user-report.receive', target: `user-report:${row.id}`, before: null, after: { receipt: row.receipt, via: 'agent', hostId: host.id, answers: body.answers } })
  return { row: tx.select().from(userReports).where(eq(userReports.id, row.id)).get()!, duplicate: false }
}

/** A report from the web form: stored, announced to the channels, waiting for a person to assign it. */
export function reportFromWeb(tx: Tx, c: IncidentChange, answers: UserReportAnswers, lang: Language, address: string | null): UserReportRow {
  const row: UserReportRow = {
    id: randomUUID(), receipt: receipt(), incidentId: null, via: 'web', hostId: null, lang, answers, context: { address },
    reportedAt: c.now.toISOString(), receivedAt: c.now.toISOString(),
  }
  tx.insert(userReports).values(row).run()
  c.queued += queueMessage(tx, 'incident', webReportMessage(row.receipt, answers, c.baseUrl), c.now, 'normal')
  c.audit({ action: 'user-report.receive', target: `user-report:${row.id}`, before: null, after: { receipt: row.receipt, via: 'web', address, answers } })
  c.touched.add(null)
  return row
}

/** A person assigns a waiting report: to an incident, or as the start of a new one. */
export function assignReport(tx: Tx, c: IncidentChange, reportId: string, incidentId: string | null): string {
  const r = tx.select().from(userReports).where(eq(userReports.id, reportId)).get()
  if (!r) throw new InputError(t(`Keine Meldung ${reportId}.`, `No report ${reportId}.`), '/id', 'not-found')
  if (r.incidentId) throw new InputError(t('Die Meldung gehört schon zu einem Notfall.', 'The report belongs to an incident already.'), '/id', 'conflict')
  const a = r.answers as UserReportAnswers
  let target = incidentId
  if (target) {
    if (getIncident(tx, target).state === 'closed') throw new InputError(t('Der Notfall ist abgeschlossen.', 'The incident is closed.'), '/incidentId', 'conflict')
  } else
    target = openIncident(tx, c, {
      title: `Meldung von ${a.reporter}: ${a.system}`.slice(0, 200), scenario: 'other', severity: 'medium', description: a.observed,
      hostIds: r.hostId ? [r.hostId] : [], awareAt: r.receivedAt,
    }, { source: 'user-report' }).id
  const hostname = r.hostId ? (tx.select({ n: hosts.hostname }).from(hosts).where(eq(hosts.id, r.hostId)).get()?.n ?? null) : null
  join(tx, c, r, target, hostname)
  c.audit({ action: 'user-report.assign', target: `user-report:${r.id}`, before: null, after: { incidentId: target } })
  c.touched.add(null)
  return target
}

export const unassignedReports = (db: Pick<Tx, 'select'>) =>
  db.select().from(userReports).where(isNull(userReports.incidentId)).orderBy(desc(userReports.receivedAt)).limit(100).all()
