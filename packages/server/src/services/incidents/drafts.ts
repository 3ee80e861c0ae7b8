// Pre-filled drafts of each notification (handle.obligations), in German and English, from what the incident already
// holds: company, times, scenario, description, affected hosts and crown jewels, what was done (ticked steps, decisions),
// whether the police were involved. What only a person can know is left as a marked gap "[…]". Field lists follow
// GDPR art. 33(3) and the BSI's reporting fields for §32 BSIG (see docs/incidents.md); the text is a draft to be
// checked and sent by a person through the authority's own channel, never sent by Lagebild.
import { SCENARIO_LABEL, fmtLocal, type ClockId, type Language, type LessonsInput } from '@lagebild/shared'
import type { IncidentDetail, Draft } from '../../schemas/incidents.js'
import { getCompany } from '../readiness/store.js'
import type { Db } from '../../db/index.js'

const GAP = { de: '[… bitte ergänzen]', en: '[… please fill in]' }

const L = {
  de: {
    company: 'Verantwortliche Stelle', contact: 'Ansprechperson für Rückfragen', number: 'Vorgangsnummer (intern)', aware: 'Kenntnis erlangt am', first: 'Erste Hinweise / Beginn laut Meldungen',
    kind: 'Art des Vorfalls', what: 'Beschreibung', systems: 'Betroffene Systeme', jewels: 'Betroffene zeitkritische Prozesse', done: 'Bisher ergriffene Maßnahmen',
    persons: 'Kategorien und ungefähre Zahl der betroffenen Personen', records: 'Kategorien und ungefähre Zahl der betroffenen Datensätze',
    consequences: 'Wahrscheinliche Folgen', planned: 'Geplante Maßnahmen zur Behebung und Abmilderung', police: 'Strafanzeige / Polizei (ZAC) eingeschaltet',
    late: 'Gründe für eine Meldung nach Ablauf der Frist', malicious: 'Verdacht auf rechtswidrige oder böswillige Handlung', crossBorder: 'Mögliche grenzüberschreitende Auswirkungen',
    severity: 'Erste Bewertung von Schweregrad und Auswirkungen', iocs: 'Kompromittierungsindikatoren (IoC), soweit vorhanden', cause: 'Ursache bzw. Art der Bedrohung',
    mitigation: 'Getroffene und laufende Abhilfemaßnahmen', policy: 'Versicherungsschein-Nr.', damage: 'Geschätzter Schaden', yes: 'ja', no: 'nein', open: 'noch nicht entschieden',
    drill: 'ÜBUNG – NICHT ABSENDEN', subject: 'Meldung', none: 'keine',
  },
  en: {
    company: 'Controller / entity', contact: 'Contact for questions', number: 'Case number (internal)', aware: 'Became aware on', first: 'First signs / start according to reports',
    kind: 'Kind of incident', what: 'Description', systems: 'Affected systems', jewels: 'Affected time-critical processes', done: 'Measures taken so far',
    persons: 'Categories and approximate number of people affected', records: 'Categories and approximate number of records affected',
    consequences: 'Likely consequences', planned: 'Measures planned to address and mitigate it', police: 'Criminal complaint / police (ZAC) involved',
    late: 'Reasons for reporting after the deadline', malicious: 'Suspected unlawful or malicious act', crossBorder: 'Possible cross-border impact',
    severity: 'First assessment of severity and impact', iocs: 'Indicators of compromise (IoC), where available', cause: 'Root cause or kind of threat',
    mitigation: 'Mitigation applied and ongoing', policy: 'Policy number', damage: 'Estimated damage', yes: 'yes', no: 'no', open: 'not decided yet',
    drill: 'DRILL – DO NOT SEND', subject: 'Report', none: 'none',
  },
} as const

/** The draft of one notification; `d` is the incident as the board shows it. */
export function draft(db: Pick<Db, 'select'>, d: IncidentDetail, clockId: ClockId, lang: Language, now: Date): Draft {
  const t = L[lang]
  const i = d.incident
  const clock = d.clocks.find((c) => c.id === clockId)
  const company = getCompany(db).name || GAP[lang]
  const first = d.chain[0]
  const field = (label: string, value: string | null | undefined) => `${label}:\n  ${value && value.trim() ? value.trim().replace(/\n/g, '\n  ') : GAP[lang]}`
  const done = [
    ...d.steps.filter((s) => s.outcome === 'done').map((s) => `${s.title[lang]}${s.note ? ` (${s.note})` : ''}`),
    ...d.timeline.filter((e) => e.kind === 'decision').map((e) => e.text),
  ]
  const police = d.steps.find((s) => s.kind === 'police')
  const lessons = d.lessons?.data as LessonsInput | undefined
  const reports = d.reports.map((r) => `${r.answers.when} – ${r.answers.reporter}: ${r.answers.observed}`).join('\n')
  const overdue = clock && Date.parse(clock.dueAt) < now.getTime()
  const lines: string[] = []
  if (i.drill) lines.push(`*** ${t.drill} ***`, '')
  lines.push(field(t.company, company), field(t.contact, first ? `${first.name}${first.phone ? `, ${first.phone}` : ''}` : null), field(t.number, i.number))
  lines.push(field(t.aware, fmtLocal(Date.parse(i.awareAt), d.zone)[lang]))
  if (reports) lines.push(field(t.first, reports))
  lines.push(field(t.kind, SCENARIO_LABEL[i.scenario][lang]), field(t.what, [i.title, i.description].filter(Boolean).join('\n')))
  lines.push(field(t.systems, i.hosts.map((h) => h.hostname).join(', ') || null))
  if (i.crownJewels.length) lines.push(field(t.jewels, i.crownJewels.map((j) => j.name).join(', ')))
  lines.push(field(t.done, done.map((x) => `– ${x}`).join('\n') || null))
  switch (clockId) {
    case 'gdpr-authority':
      lines.push(field(t.persons, null), field(t.records, null), field(t.consequences, null), field(t.planned, lessons?.whatToImprove))
      break
    case 'nis2-early-warning':
      lines.push(field(t.malicious, i.scenario === 'ransomware' || i.espionageSuspected ? t.yes : null), field(t.crossBorder, null))
      break
    case 'nis2-notification':
      lines.push(field(t.severity, `${i.severity}`), field(t.iocs, null), field(t.malicious, i.scenario === 'ransomware' || i.espionageSuspected ? t.yes : null), field(t.crossBorder, null))
      break
    case 'nis2-final':
      lines.push(field(t.cause, lessons?.whatHappened), field(t.mitigation, [lessons?.whatWorked, lessons?.whatToImprove].filter(Boolean).join('\n')), field(t.crossBorder, null))
      break
    case 'insurer':
      lines.push(field(t.policy, null), field(t.damage, null))
      break
  }
  lines.push(field(t.police, police ? (police.outcome === 'done' ? `${t.yes}${police.note ? ` (${police.note})` : ''}` : police.outcome === 'not-needed' ? t.no : t.open) : null))
  if (overdue) lines.push(field(t.late, null))
  const recipient = clock ? clock.recipient[lang] : ''
  return {
    clockId, lang, recipient,
    subject: `${i.drill ? `[${t.drill}] ` : ''}${clock ? clock.title[lang] : t.subject} – ${company} – ${i.number}`,
    text: lines.join('\n\n'),
  }
}
