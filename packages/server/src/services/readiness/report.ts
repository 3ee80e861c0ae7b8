// The readiness report for an insurer or auditor: every measure with its status, evidence and date, the hosts behind
// each technical measure, the records behind each organisational one; dated, with the company's and the server's name.
// One data model, two renderings: CSV here (every host finding), PDF in report-pdf.ts (the hosts that need attention).
import { hostname } from 'node:os'
import { and, asc, eq, ne, sql } from 'drizzle-orm'
import { stringify } from 'csv-stringify/sync'
import { evaluateReadiness, PHASES, RECORDS, type Language, type RecordKind, type Text } from '@lagebild/shared'
import { findings, hosts } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { MeasureLight } from '../../schemas/board.js'
import { overview, ORG_SUBJECT } from '../overview.js'
import { loadReadinessInput } from './input.js'

export interface ReportFinding {
  status: string
  severity: string
  reason: Text
  since: string
}
export interface ReportMeasure {
  phase: string
  light: MeasureLight
  org: ReportFinding | null
  /** Host findings of this measure, those needing attention first. */
  hosts: (ReportFinding & { hostname: string })[]
  records: { kind: RecordKind; title: Text; recorded: boolean; owner: string; lastReviewedAt: string | null; dueAt: string | null; overdue: boolean }[]
}
export interface ReadinessReport {
  generatedAt: string
  company: string
  server: string
  score: number
  measures: ReportMeasure[]
}

const rank = sql`case ${findings.status} when 'deviation' then 0 when 'unknown' then 1 when 'ok' then 2 else 3 end`

/** The server's name on the report: its public address, else the machine's host name. */
export const serverName = (publicUrl: string | null) => (publicUrl ? new URL(publicUrl).host : hostname())

export function readinessReport(db: Db, now: Date, publicUrl: string | null, hostLimit = Infinity): ReadinessReport {
  const ov = overview(db, now)
  const input = loadReadinessInput(db, now)
  const states = evaluateReadiness(input, now).records
  const finding = (f: typeof findings.$inferSelect): ReportFinding => ({ status: f.status, severity: f.severity, reason: { de: f.reasonDe, en: f.reasonEn }, since: f.since })
  const measures = ov.phases.flatMap((p) =>
    p.measures.map((light): ReportMeasure => {
      const org = db.select().from(findings).where(and(eq(findings.subjectId, ORG_SUBJECT), eq(findings.measureId, light.id))).get()
      const hostRows = light.hosts
        ? db
            .select({ f: findings, hostname: hosts.hostname })
            .from(findings)
            .innerJoin(hosts, eq(hosts.id, findings.subjectId))
            .where(and(eq(findings.measureId, light.id), ne(findings.subjectId, ORG_SUBJECT)))
            .orderBy(asc(rank), asc(hosts.hostname))
            .limit(hostLimit === Infinity ? -1 : hostLimit)
            .all()
        : []
      return {
        phase: p.id,
        light,
        org: org ? finding(org) : null,
        hosts: hostRows.map((r) => ({ ...finding(r.f), hostname: r.hostname })),
        records: states
          .filter((s) => RECORDS[s.kind].measureId === light.id)
          .map((s) => ({ kind: s.kind, title: RECORDS[s.kind].title, recorded: s.recorded, owner: s.owner, lastReviewedAt: s.lastReviewedAt, dueAt: s.dueAt, overdue: s.overdue })),
      }
    }),
  )
  return { generatedAt: now.toISOString(), company: input.company.name, server: serverName(publicUrl), score: ov.score.value, measures }
}

const HEAD: Record<Language, string[]> = {
  de: ['Phase', 'Kennung', 'Maßnahme', 'Teil', 'Gegenstand', 'Status', 'Schwere', 'Nachweis', 'Seit', 'Verantwortlich', 'Zuletzt geprüft', 'Fällig'],
  en: ['Phase', 'Id', 'Measure', 'Part', 'Subject', 'Status', 'Severity', 'Evidence', 'Since', 'Owner', 'Last review', 'Due'],
}
const PART: Record<Language, Record<'measure' | 'organisation' | 'host' | 'record', string>> = {
  de: { measure: 'Maßnahme gesamt', organisation: 'Organisation', host: 'Rechner', record: 'Nachweis' },
  en: { measure: 'measure overall', organisation: 'organisation', host: 'host', record: 'record' },
}
export const STATUS_LABEL: Record<Language, Record<string, string>> = {
  de: { ok: 'in Ordnung', deviation: 'Abweichung', unknown: 'unbekannt', 'not-applicable': 'nicht anwendbar', 'not-recorded': 'nicht erfasst', recorded: 'gepflegt', overdue: 'überfällig' },
  en: { ok: 'ok', deviation: 'deviation', unknown: 'unknown', 'not-applicable': 'not applicable', 'not-recorded': 'not recorded', recorded: 'kept', overdue: 'overdue' },
}

/** CSV (RFC 4180, UTF-8 with BOM for spreadsheet programs); cells that would start a formula are escaped. */
export function reportCsv(r: ReadinessReport, lang: Language): string {
  const rows: string[][] = []
  const S = STATUS_LABEL[lang]
  for (const m of r.measures) {
    const base = [PHASES[m.phase as keyof typeof PHASES][lang], m.light.id, m.light.title[lang]]
    rows.push([...base, PART[lang].measure, '', S[m.light.state] ?? m.light.state, '', '', '', '', '', ''])
    if (m.org) rows.push([...base, PART[lang].organisation, r.company || '—', S[m.org.status]!, m.org.severity, m.org.reason[lang], m.org.since, '', '', ''])
    for (const h of m.hosts) rows.push([...base, PART[lang].host, h.hostname, S[h.status] ?? h.status, h.severity, h.reason[lang], h.since, '', '', ''])
    for (const rec of m.records)
      rows.push([...base, PART[lang].record, rec.title[lang], rec.recorded ? (rec.overdue ? S.overdue! : S.recorded!) : S['not-recorded']!, '', '', '', rec.owner, rec.lastReviewedAt ?? '', rec.dueAt ?? ''])
  }
  const meta = [[lang === 'de' ? 'Bereitschaftsbericht' : 'Readiness report', r.company, r.server, r.generatedAt, `${r.score} %`]]
  return '\ufeff' + stringify([...meta, HEAD[lang], ...rows], { escape_formulas: true, record_delimiter: '\r\n' })
}
