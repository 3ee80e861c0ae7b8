// The record of an incident for an insurer, an authority or a court: a PDF people read (pdfkit, the readiness report's
// building blocks) and a JSON file a program can check — every timeline entry with its hashes, so the chain can be
// verified without Lagebild (SHA-256 over "prevHash\n" + the entry's fields as JSON with sorted keys). Both name the
// hash of the newest entry; a later copy of the record can be compared against it.
import {
  CLOCK_STATE_LABEL, EVIDENCE_ITEM_LABEL, EVIDENCE_STATE_LABEL, INCIDENT_SOURCE_LABEL, INCIDENT_STATE_LABEL, SCENARIO_LABEL, STEP_OUTCOME_LABEL,
  TASK_STATE_LABEL, TIMELINE_KIND_LABEL, USER_REPORT_FIELDS, fmtLocal, type Language,
} from '@lagebild/shared'
import type { Db } from '../../db/index.js'
import type { IncidentDetail } from '../../schemas/incidents.js'
import { newPdf, pdfBuffer, type Pdf } from '../readiness/pdf.js'
import type { PdfFont } from '../../config.js'
import { getCompany } from '../readiness/store.js'
import { incidentGenesis, timelineOf } from './timeline.js'

const INK = '#1d1d1f'
const MUTED = '#5f6368'
const RED = '#b3261e'
const GREEN = '#1e7d32'
const M = 48
const W = 595.28 - 2 * M

const T = {
  de: {
    title: 'Notfallprotokoll', company: 'Unternehmen', server: 'Server', generated: 'Erstellt', state: 'Status', severity: 'Schweregrad', scenario: 'Szenario',
    source: 'Entstehung', aware: 'Kenntnis', opened: 'Eröffnet', contained: 'Eingedämmt', resolved: 'Behoben', closed: 'Abgeschlossen', by: 'von',
    drill: 'ÜBUNG', check: 'Prüfung der Unveränderlichkeit', intact: 'Zeitleiste (Hash-Kette) intakt, alle gesicherten Dateien unverändert', broken: 'VERÄNDERT',
    head: 'Hash des letzten Eintrags', hosts: 'Betroffene Rechner', jewels: 'Betroffene Kronjuwelen', chain: 'Alarmierungskette', notified: 'benachrichtigt',
    ack: 'bestätigt', notAck: 'nicht bestätigt', steps: 'Schritte', open: 'offen', clocks: 'Meldefristen', due: 'fällig', reports: 'Meldungen von Betroffenen',
    evidence: 'Gesicherte Beweise', size: 'Bytes', collected: 'gesammelt', received: 'empfangen', downloads: 'Zugriffe', truncated: 'an der Größengrenze gekürzt',
    requests: 'Anforderungen', tasks: 'Folgeaufgaben', watch: 'Verstärkte Überwachung', lessons: 'Lehren', happened: 'Was geschah', worked: 'Was gut lief',
    improve: 'Was besser werden muss', actions: 'Maßnahmen', timeline: 'Zeitleiste', corrects: 'berichtigt Eintrag', page: 'Seite', none: 'keine',
    basis: 'Dieses Protokoll gibt die Einträge so wieder, wie sie gespeichert wurden. Jeder Eintrag trägt den SHA-256 seines Vorgängers; jede Datei ihren SHA-256. Die JSON-Ausgabe enthält alles zum Nachprüfen.',
  },
  en: {
    title: 'Incident record', company: 'Company', server: 'Server', generated: 'Created', state: 'State', severity: 'Severity', scenario: 'Scenario',
    source: 'Origin', aware: 'Became aware', opened: 'Opened', contained: 'Contained', resolved: 'Resolved', closed: 'Closed', by: 'by',
    drill: 'DRILL', check: 'Integrity check', intact: 'Timeline (hash chain) intact, every stored file unchanged', broken: 'ALTERED',
    head: 'Hash of the newest entry', hosts: 'Affected hosts', jewels: 'Affected crown jewels', chain: 'Alerting chain', notified: 'notified',
    ack: 'acknowledged', notAck: 'not acknowledged', steps: 'Steps', open: 'open', clocks: 'Reporting deadlines', due: 'due', reports: 'Reports of the people affected',
    evidence: 'Secured evidence', size: 'bytes', collected: 'collected', received: 'received', downloads: 'accesses', truncated: 'cut at the size limit',
    requests: 'Requests', tasks: 'Follow-up tasks', watch: 'Heightened monitoring', lessons: 'Lessons learned', happened: 'What happened', worked: 'What worked',
    improve: 'What must improve', actions: 'Actions', timeline: 'Timeline', corrects: 'corrects entry', page: 'Page', none: 'none',
    basis: 'This record reproduces the entries as they were stored. Each entry carries the SHA-256 of its predecessor; each file its SHA-256. The JSON export holds everything needed to check it.',
  },
} as const

export interface ExportMeta {
  server: string
  generatedAt: Date
}

function heading(doc: Pdf, text: string) {
  if (doc.y > 740) doc.addPage()
  doc.moveDown(0.6).font('bold').fontSize(13).fillColor(INK).text(doc.safe(text), M, doc.y, { width: W }).moveDown(0.2)
  doc.font('body').fontSize(9).fillColor(INK)
}
const line = (doc: Pdf, text: string, color = INK) => doc.fillColor(color).text(doc.safe(text), M, doc.y, { width: W })

function cover(doc: Pdf, d: IncidentDetail, lang: Language, meta: ExportMeta, company: string) {
  const t = T[lang]
  const i = d.incident
  const at = (iso: string | null) => (iso ? fmtLocal(Date.parse(iso), d.zone)[lang] : '—')
  doc.font('bold').fontSize(20).fillColor(INK).text(doc.safe(`${t.title} ${i.number}${i.drill ? ` – ${t.drill}` : ''}`), { width: W })
  doc.font('bold').fontSize(13).text(doc.safe(i.title), { width: W }).moveDown(0.4)
  doc.font('body').fontSize(10)
  const rows: [string, string][] = [
    [t.company, company || '—'], [t.server, meta.server], [t.generated, at(meta.generatedAt.toISOString())],
    [t.state, INCIDENT_STATE_LABEL[i.state][lang]], [t.severity, i.severity], [t.scenario, SCENARIO_LABEL[i.scenario][lang]], [t.source, INCIDENT_SOURCE_LABEL[i.source][lang]],
    [t.aware, at(i.awareAt)], [t.opened, `${at(i.openedAt)} ${t.by} ${i.openedBy}`],
    ...(i.containedAt ? [[t.contained, `${at(i.containedAt)} ${t.by} ${i.containedBy}`] as [string, string]] : []),
    ...(i.resolvedAt ? [[t.resolved, `${at(i.resolvedAt)} ${t.by} ${i.resolvedBy}`] as [string, string]] : []),
    ...(i.closedAt ? [[t.closed, `${at(i.closedAt)} ${t.by} ${i.closedBy}`] as [string, string]] : []),
  ]
  for (const [k, v] of rows) doc.fillColor(MUTED).text(`${k}: `, { continued: true }).fillColor(INK).text(doc.safe(v))
  if (i.description) doc.moveDown(0.3).text(doc.safe(i.description), { width: W })
  heading(doc, t.check)
  if (d.check.ok) line(doc, `✓ ${t.intact} (${d.check.entries})`, GREEN)
  else {
    line(doc, `${t.broken}: ${d.check.reason ?? ''}${d.check.brokenAt ? ` (#${d.check.brokenAt})` : ''}`, RED)
    for (const e of d.check.evidence) line(doc, `${e.name}: ${e.problem}`, RED)
  }
  line(doc, `${t.head}: ${d.check.head ?? '—'}`, MUTED)
  doc.fontSize(8).fillColor(MUTED).text(doc.safe(t.basis), { width: W })
}

function body(doc: Pdf, d: IncidentDetail, lang: Language) {
  const t = T[lang]
  const at = (iso: string | null) => (iso ? fmtLocal(Date.parse(iso), d.zone)[lang] : '—')
  const i = d.incident
  heading(doc, t.hosts)
  line(doc, i.hosts.map((h) => `${h.hostname}${h.crownJewel ? ' ★' : ''}`).join(', ') || t.none)
  if (i.crownJewels.length) line(doc, `${t.jewels}: ${i.crownJewels.map((j) => `${j.name} (≤ ${j.maxDowntimeHours} h)`).join(', ')}`)
  heading(doc, t.chain)
  if (!d.chain.length) line(doc, t.none)
  for (const c of d.chain)
    line(doc, `${c.name}${c.phone ? ` (${c.phone})` : ''}: ${t.notified} ${at(c.notifiedAt)} – ${c.acknowledgedAt ? `${t.ack} ${at(c.acknowledgedAt)} (${c.acknowledgedVia})` : t.notAck}`, c.acknowledgedAt ? INK : RED)
  heading(doc, t.steps)
  for (const s of d.steps)
    line(doc, `${s.outcome ? '☑' : '☐'} ${s.title[lang]}${s.contact ? ` – ${s.contact.name}${s.contact.phone ? ` ${s.contact.phone}` : ''}${s.contact.email ? ` ${s.contact.email}` : ''}` : ''}: ${s.outcome ? `${STEP_OUTCOME_LABEL[s.outcome][lang]} ${at(s.doneAt)} ${t.by} ${s.doneBy}${s.note ? ` – ${s.note}` : ''}` : t.open}`)
  heading(doc, t.clocks)
  if (!d.clocks.length) line(doc, t.none)
  for (const c of d.clocks)
    line(doc, `${c.title[lang]} → ${c.recipient[lang]}: ${t.due} ${c.due[lang]} – ${CLOCK_STATE_LABEL[c.state][lang]}${c.doneAt ? ` ${at(c.doneAt)} ${t.by} ${c.doneBy}` : ''}${c.note ? ` – ${c.note}` : ''}`,
      c.state === 'running' && Date.parse(c.dueAt) < Date.now() ? RED : INK)
  if (d.reports.length) {
    heading(doc, t.reports)
    for (const r of d.reports) {
      line(doc, `${r.receipt} – ${at(r.receivedAt)}${r.hostname ? ` – ${r.hostname}` : ''}`, MUTED)
      for (const k of Object.keys(USER_REPORT_FIELDS) as (keyof typeof USER_REPORT_FIELDS)[]) if (r.answers[k]) line(doc, `${USER_REPORT_FIELDS[k][lang]} ${r.answers[k]}`)
    }
  }
  heading(doc, t.evidence)
  if (!d.evidence.items.length) line(doc, t.none)
  for (const f of d.evidence.items) {
    line(doc, `${f.name} – ${EVIDENCE_ITEM_LABEL[f.item][lang]}`)
    line(doc, `  SHA-256 ${f.sha256} · ${f.size} ${t.size}${f.truncated ? ` · ${t.truncated}` : ''}`, MUTED)
    line(doc, `  ${f.collector} · ${t.collected} ${at(f.collectedAt)} · ${t.received} ${at(f.receivedAt)} · ${t.downloads}: ${f.downloads} · ${f.source}`, MUTED)
  }
  if (d.evidence.requests.length) {
    line(doc, `${t.requests}:`, MUTED)
    for (const r of d.evidence.requests) line(doc, `  ${r.hostname}: ${EVIDENCE_STATE_LABEL[r.state][lang]} (${r.hours} h, ${at(r.requestedAt)} ${t.by} ${r.requestedBy})`, MUTED)
  }
  heading(doc, t.tasks)
  if (!d.tasks.length) line(doc, t.none)
  for (const x of d.tasks)
    line(doc, `${x.state === 'done' ? '☑' : '☐'} ${x.title} – ${x.owner}, ${t.due} ${x.dueOn}: ${TASK_STATE_LABEL[x.state][lang]}${x.doneAt ? ` ${at(x.doneAt)} ${t.by} ${x.doneBy}` : ''}`)
  if (d.watches.length) {
    heading(doc, t.watch)
    for (const w of d.watches) line(doc, `${w.hostname}: ${w.intervalMinutes} min, ${at(w.startedAt)} – ${at(w.endedAt ?? w.until)} (${w.startedBy})`)
  }
  if (d.lessons) {
    heading(doc, t.lessons)
    const l = d.lessons.data
    for (const [k, v] of [[t.happened, l.whatHappened], [t.worked, l.whatWorked], [t.improve, l.whatToImprove]] as const) if (v) line(doc, `${k}: ${v}`)
    l.actions.forEach((a, n) => line(doc, `${d.lessons!.done[n] ? '☑' : '☐'} ${a.text}`))
  }
}

function timeline(doc: Pdf, d: IncidentDetail, lang: Language) {
  const t = T[lang]
  heading(doc, t.timeline)
  for (const e of d.timeline) {
    if (doc.y > 760) doc.addPage()
    doc.font('bold').fontSize(8.5).fillColor(INK).text(doc.safe(`#${e.id} ${fmtLocal(Date.parse(e.at), d.zone)[lang]} · ${TIMELINE_KIND_LABEL[e.kind][lang]} · ${e.author}${e.correctsId ? ` · ${t.corrects} #${e.correctsId}` : ''}`), M, doc.y, { width: W })
    doc.font('body').fontSize(8.5).text(doc.safe(e.text), { width: W })
    doc.fontSize(6.5).fillColor(MUTED).text(`SHA-256 ${e.hash}`, { width: W }).moveDown(0.25)
  }
}

export async function incidentPdf(db: Pick<Db, 'select'>, d: IncidentDetail, lang: Language, meta: ExportMeta, font: PdfFont | null): Promise<Buffer> {
  const t = T[lang]
  const company = getCompany(db).name
  const doc = newPdf(`${t.title} ${d.incident.number}`, font, M)
  cover(doc, d, lang, meta, company)
  body(doc, d, lang)
  timeline(doc, d, lang)
  const range = doc.bufferedPageRange()
  for (let n = 0; n < range.count; n++) {
    doc.switchToPage(range.start + n)
    doc.page.margins.bottom = 0
    doc.font('body').fontSize(7).fillColor(MUTED)
      .text(doc.safe(`${t.title} ${d.incident.number} · ${company || meta.server} · ${t.head} ${(d.check.head ?? '').slice(0, 16)}… · ${t.page} ${n + 1}/${range.count}`), M, 842 - 30, { width: W, lineBreak: false })
  }
  return pdfBuffer(doc)
}

/** The JSON record: everything of the page plus each entry's predecessor hash, and how to check the chain. */
export function incidentJson(db: Pick<Db, 'select'>, d: IncidentDetail, meta: ExportMeta) {
  const rows = timelineOf(db, d.incident.id)
  return {
    format: 'lagebild-incident-record',
    version: 1,
    generatedAt: meta.generatedAt.toISOString(),
    server: meta.server,
    company: getCompany(db).name,
    verification: {
      algorithm: 'hash = SHA-256(prevHash + "\\n" + JSON of {incidentId, at, author, kind, text, data, correctsId} with keys sorted); evidence: SHA-256 of the file',
      genesis: incidentGenesis(d.incident.id),
      genesisRule: 'SHA-256("0"×64 + "\\n" + {"incident":"<incident id>"})',
      result: d.check,
    },
    ...d,
    timeline: rows.map((r) => ({ id: r.id, at: r.at, author: r.author, kind: r.kind, text: r.text, data: r.data ?? null, correctsId: r.correctsId, prevHash: r.prevHash, hash: r.hash })),
  }
}
