// The readiness report as PDF: a cover block (company, server, date, score), then every measure of the BSI guide by
// phase with its status, evidence and date, the hosts that need attention, and the records with their review dates.
import { PHASES, type Language } from '@lagebild/shared'
import { newPdf, pdfBuffer, type Pdf } from './pdf.js'
import type { PdfFont } from '../../config.js'
import { STATUS_LABEL, type ReadinessReport, type ReportMeasure } from './report.js'

const INK = '#1d1d1f'
const MUTED = '#5f6368'
const COLOR: Record<string, string> = { ok: '#1e7d32', deviation: '#b3261e', unknown: '#8a5a00', 'not-recorded': '#5f6368', 'not-applicable': '#5f6368' }
const M = 48
const W = 595.28 - 2 * M

const T = {
  de: {
    title: 'Bereitschaftsbericht IT-Notfallmanagement', company: 'Unternehmen', server: 'Server', date: 'Erstellt', score: 'Bereitschaftsgrad',
    basis: 'Grundlage: BSI „Einstieg ins IT-Notfallmanagement für KMU“. Jede Maßnahme mit Status, Nachweis und Datum; bei technischen Maßnahmen die Rechner, bei organisatorischen die Aufzeichnungen.',
    org: 'Organisation', hosts: (ok: number, all: number) => `Rechner: ${ok} von ${all} in Ordnung`, since: 'seit', records: 'Aufzeichnungen',
    owner: 'verantwortlich', reviewed: 'geprüft', due: 'fällig', never: 'nie', more: (n: number) => `… und ${n} weitere Rechner (vollständig in der CSV-Datei)`, page: 'Seite',
  },
  en: {
    title: 'IT emergency readiness report', company: 'Company', server: 'Server', date: 'Created', score: 'Readiness',
    basis: 'Basis: BSI "Getting started with IT emergency management for SMEs". Every measure with status, evidence and date; hosts behind technical measures, records behind organisational ones.',
    org: 'Organisation', hosts: (ok: number, all: number) => `Hosts: ${ok} of ${all} ok`, since: 'since', records: 'Records',
    owner: 'owner', reviewed: 'reviewed', due: 'due', never: 'never', more: (n: number) => `… and ${n} more hosts (all in the CSV file)`, page: 'Page',
  },
} as const

const day = (iso: string | null, lang: Language) => (!iso ? '—' : lang === 'de' ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : iso.slice(0, 10))

function measure(doc: Pdf, m: ReportMeasure, lang: Language, shown: number) {
  const t = T[lang]
  const S = STATUS_LABEL[lang]
  if (doc.y > 760) doc.addPage()
  doc.font('bold').fontSize(11).fillColor(INK).text(doc.safe(`${m.light.title[lang]}  `), { continued: true, width: W })
  doc.font('body').fontSize(8).fillColor(MUTED).text(m.light.id, { continued: true })
  doc.font('bold').fontSize(10).fillColor(COLOR[m.light.state] ?? INK).text(`   ${S[m.light.state] ?? m.light.state}`)
  doc.font('body').fontSize(9).fillColor(INK)
  if (m.org) doc.text(doc.safe(`${t.org}: ${m.org.reason[lang]} (${t.since} ${day(m.org.since, lang)})`), { width: W })
  const h = m.light.hosts
  if (h) {
    doc.text(doc.safe(t.hosts(h.ok, h.ok + h.deviation + h.unknown)), { width: W })
    for (const x of m.hosts.filter((x) => x.status !== 'ok').slice(0, shown))
      doc.fillColor(COLOR[x.status] ?? INK).text(doc.safe(`  • ${x.hostname}: ${S[x.status] ?? x.status} – ${x.reason[lang]} (${t.since} ${day(x.since, lang)})`), { width: W })
    const rest = h.deviation + h.unknown - shown
    if (rest > 0) doc.fillColor(MUTED).text(t.more(rest), { width: W })
  }
  for (const r of m.records)
    doc.fillColor(r.overdue ? COLOR.deviation! : MUTED).text(
      doc.safe(`${t.records}: ${r.title[lang]} – ${r.recorded ? (r.overdue ? S.overdue : S.recorded) : S['not-recorded']}` +
        `${r.owner ? `, ${t.owner} ${r.owner}` : ''}, ${t.reviewed} ${day(r.lastReviewedAt, lang)}, ${t.due} ${day(r.dueAt, lang)}`),
      { width: W },
    )
  doc.moveDown(0.6)
}

export function reportPdf(r: ReadinessReport, lang: Language, font: PdfFont | null, hostsPerMeasure = 25): Promise<Buffer> {
  const t = T[lang]
  const doc = newPdf(t.title, font, M)
  doc.font('bold').fontSize(20).fillColor(INK).text(doc.safe(t.title), { width: W })
  doc.moveDown(0.4)
  doc.font('body').fontSize(10)
  for (const [k, v] of [[t.company, r.company || '—'], [t.server, r.server], [t.date, `${day(r.generatedAt, lang)} ${r.generatedAt.slice(11, 16)} UTC`]] as const)
    doc.fillColor(MUTED).text(`${k}: `, { continued: true }).fillColor(INK).text(doc.safe(v))
  doc.moveDown(0.3)
  doc.font('bold').fontSize(14).text(`${t.score}: ${r.score} %`)
  doc.font('body').fontSize(8).fillColor(MUTED).text(doc.safe(t.basis), { width: W })
  doc.moveDown(0.8)
  for (const p of Object.keys(PHASES) as (keyof typeof PHASES)[]) {
    if (doc.y > 720) doc.addPage()
    doc.font('bold').fontSize(14).fillColor(INK).text(doc.safe(PHASES[p][lang]), { width: W })
    doc.moveDown(0.3)
    for (const m of r.measures.filter((x) => x.phase === p)) measure(doc, m, lang, hostsPerMeasure)
  }
  const range = doc.bufferedPageRange()
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i)
    // Below the bottom margin: without this, pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0
    doc.font('body').fontSize(8).fillColor(MUTED)
      .text(doc.safe(`${t.title} · ${r.company || r.server} · ${day(r.generatedAt, lang)} · ${t.page} ${i + 1}/${range.count}`), M, 842 - 32, { width: W, lineBreak: false })
  }
  return pdfBuffer(doc)
}
