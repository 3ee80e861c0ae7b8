// Judging the phases 3 and 4 of the guide (handle.*, follow.*) from the incidents and their follow-up: the same pure
// shape as evaluateReadiness, stored as findings of the subject `org` with the same history and alert listeners.
//
// The rules, in short (docs/incidents.md has the table):
// - While no incident is active, a handling measure is not applicable ("no incident open") when what it needs is
//   prepared (the alerting chain, providers, reporting duties …); otherwise it stays not recorded — prep.* already says
//   what is missing, and a second alert about the same gap would only be noise.
// - During an incident a step is in time until its target time after opening (HANDLE_TARGET_MINUTES) and a deviation
//   once the target has passed without it; reporting clocks escalate by stage (half, last twelfth, overdue).
// - A timeline whose hash chain is broken is always a critical deviation of handle.document.
// - Follow-up is judged after the first incident was resolved; before that, not applicable when exercises are recorded.
import type { Text } from './common.js'
import { countOf } from './common.js'
import type { Finding, Severity } from './findings.js'
import { MEASURE_BY_ID } from './measures.js'
import { dev, fmtDay, names, ok, tx, verdict, type Verdict } from './readiness-input.js'
import { clockStage, fmtDuration, type ClockTimes } from './incident-clocks.js'
import { ACTIVE_INCIDENT_STATES, HANDLE_TARGET_MINUTES, type ClockState, type EvidenceState, type IncidentState, type StepKind, type StepOutcome, type TaskState } from './incidents.js'

const MIN = 60_000
const DAY = 86_400_000

export const INCIDENT_MEASURES = [
  'handle.alert', 'handle.users', 'handle.providers', 'handle.evidence', 'handle.document', 'handle.police', 'handle.intelligence', 'handle.obligations',
  'follow.close-gaps', 'follow.watch', 'follow.lessons', 'follow.architecture',
] as const
export type IncidentMeasure = (typeof INCIDENT_MEASURES)[number]

export interface JudgedIncident {
  number: string
  title: string
  state: IncidentState
  drill: boolean
  openedAt: string
  resolvedAt: string | null
  closedAt: string | null
  espionageSuspected: boolean
  hostIds: string[]
  chain: { name: string; acknowledgedAt: string | null }[]
  steps: { kind: StepKind; outcome: StepOutcome | null }[]
  userReports: number
  clocks: (ClockTimes & { title: Text; state: ClockState })[]
  /** The newest evidence request of each affected host with an agent. */
  evidence: { hostname: string; state: EvidenceState }[]
  /** brokenAt: the first entry of the timeline found changed, removed or reordered; altered: stored files whose bytes changed. */
  timeline: { entries: number; byPeople: number; brokenAt: number | null; altered: string[] }
  tasks: { title: string; owner: string; dueOn: string; state: TaskState }[]
  watches: { hostname: string; until: string; confirmedAt: string | null; startedAt: string }[]
  lessons: { recordedAt: string; openActions: number } | null
}

export interface IncidentsInput {
  incidents: JudgedIncident[]
  prepared: { alertingChain: number; firstContact: boolean; providers: number; reporting: boolean; hostsWithAgent: number; exercises: number }
  /** Share of hosts ok per technical measure now and 30 days ago (null: no hosts judged then). */
  trend: { measureId: string; before: number | null; now: number | null }[]
  /** Days of compliance history kept. */
  historyDays: number
}

export interface IncidentsResult {
  findings: Finding[]
  notRecorded: IncidentMeasure[]
}

const na = (reason: Text): Verdict => ({ status: 'not-applicable', severity: 'info', reason })
const lab = (i: JudgedIncident): Text => ({ de: `${i.number}${i.drill ? ' (Übung)' : ''}`, en: `${i.number}${i.drill ? ' (drill)' : ''}` })
const active = (i: JudgedIncident) => ACTIVE_INCIDENT_STATES.includes(i.state)
const hm = (ms: number) => new Date(ms).toISOString().slice(11, 16)

/** The verdict of a step while its incident is active: in time until the target, then a deviation that grows with time. */
function step(i: JudgedIncident, now: Date, measure: keyof typeof HANDLE_TARGET_MINUTES, done: boolean, good: Text, missing: Text, base: Severity = 'low'): Verdict {
  const l = lab(i)
  if (done) return ok({ de: `${l.de}: ${good.de}`, en: `${l.en}: ${good.en}` })
  const target = Date.parse(i.openedAt) + HANDLE_TARGET_MINUTES[measure] * MIN
  if (now.getTime() < target)
    return ok({ de: `${l.de}: noch in der Zeit (bis ${hm(target)} UTC) – ${missing.de}`, en: `${l.en}: still in time (until ${hm(target)} UTC) – ${missing.en}` })
  const late = now.getTime() - target
  const severity: Severity = late > 4 * HANDLE_TARGET_MINUTES[measure] * MIN ? (base === 'low' ? 'medium' : 'high') : base
  return dev(severity, { de: `${l.de}: ${missing.de} (Ziel überschritten um ${fmtDuration(late)})`, en: `${l.en}: ${missing.en} (target passed by ${fmtDuration(late)})` })
}

const decided = (i: JudgedIncident, kinds: StepKind[]) => {
  const s = i.steps.filter((x) => kinds.includes(x.kind))
  return { all: s.length > 0 && s.every((x) => x.outcome !== null), any: s.some((x) => x.outcome === 'done'), count: s.length }
}

type Judge = (input: IncidentsInput, now: Date) => Verdict | null

/** While no incident is active: not applicable when prepared, else not recorded. */
const idle = (prepared: boolean, ready: Text): Verdict | null =>
  prepared ? na({ de: `Kein Notfall offen. ${ready.de}`, en: `No incident open. ${ready.en}` }) : null

function perActive(input: IncidentsInput, now: Date, fn: (i: JudgedIncident) => Verdict, whenIdle: () => Verdict | null): Verdict | null {
  const list = input.incidents.filter(active)
  if (!list.length) return whenIdle()
  const vs = list.map(fn)
  const bad = vs.filter((v) => v.status === 'deviation')
  if (bad.length) return verdict(bad, tx('', ''))
  return { ...vs[0]!, reason: { de: vs.map((v) => v.reason.de).join(' '), en: vs.map((v) => v.reason.en).join(' ') } }
}

const judgeAlert: Judge = (input, now) =>
  perActive(input, now, (i) => {
    if (!i.chain.length) return dev('high', { de: `${lab(i).de}: keine Alarmierungskette hinterlegt – niemand wurde benachrichtigt.`, en: `${lab(i).en}: no alerting chain recorded – nobody was notified.` })
    const pending = i.chain.filter((c) => !c.acknowledgedAt).map((c) => c.name)
    return step(i, now, 'handle.alert', !pending.length,
      tx(`alle ${i.chain.length} der Alarmierungskette haben bestätigt.`, `all ${i.chain.length} of the alerting chain acknowledged.`),
      tx(`noch nicht bestätigt: ${names(pending)}.`, `not acknowledged yet: ${names(pending)}.`), 'medium')
  }, () => idle(input.prepared.alertingChain > 0, tx(`Alarmierungskette mit ${input.prepared.alertingChain} Person(en) bereit.`, `Alerting chain of ${countOf('en', input.prepared.alertingChain, ['person', 'people'])} ready.`)))

const judgeUsers: Judge = (input, now) =>
  perActive(input, now, (i) => {
    const s = decided(i, ['ask-users'])
    return step(i, now, 'handle.users', i.userReports > 0 || s.all,
      i.userReports ? tx(`${i.userReports} Meldung(en) von Betroffenen liegen vor.`, `${countOf('en', i.userReports, ['report', 'reports'])} from the people affected.`) : tx('Befragung abgehakt.', 'Questioning ticked off.'),
      tx('Betroffene noch nicht befragt (keine Meldung, Schritt offen).', 'people affected not asked yet (no report, step open).'))
  }, () => idle(input.prepared.firstContact, tx('Die Notfallkarte nennt den Erstkontakt; Meldungen gehen über lagebild-agent report oder das Webformular.', 'The emergency card names the first contact; reports go through lagebild-agent report or the web form.')))

const judgeProviders: Judge = (input, now) =>
  perActive(input, now, (i) => {
    const s = decided(i, ['provider'])
    return step(i, now, 'handle.providers', s.any || s.all, tx('Dienstleister eingebunden.', 'Providers involved.'), tx('noch kein Dienstleister angerufen.', 'no provider called yet.'))
  }, () => idle(input.prepared.providers > 0, tx(`${input.prepared.providers} Dienstleister hinterlegt.`, `${countOf('en', input.prepared.providers, ['provider', 'providers'])} on record.`)))

const judgeEvidence: Judge = (input, now) =>
  perActive(input, now, (i) => {
    if (!i.hostIds.length) {
      const s = decided(i, ['evidence'])
      if (s.all) return ok({ de: `${lab(i).de}: Spurensicherung abgehakt (kein Rechner mit Agent betroffen).`, en: `${lab(i).en}: evidence step ticked (no host with an agent affected).` })
      return na({ de: `${lab(i).de}: kein betroffener Rechner mit Agent benannt.`, en: `${lab(i).en}: no affected host with an agent named.` })
    }
    const failed = i.evidence.filter((e) => e.state === 'failed').map((e) => e.hostname)
    if (failed.length) return dev('medium', { de: `${lab(i).de}: Sicherung fehlgeschlagen auf ${names(failed)}.`, en: `${lab(i).en}: collection failed on ${names(failed)}.` })
    const secured = i.evidence.filter((e) => e.state === 'complete' || e.state === 'partial')
    const missing = i.hostIds.length - secured.length
    return step(i, now, 'handle.evidence', missing <= 0,
      tx(`Spuren von ${secured.length} Rechner(n) mit SHA-256 gesichert.`, `evidence of ${countOf('en', secured.length, ['host', 'hosts'])} secured with SHA-256.`),
      tx(`von ${missing} betroffenen Rechner(n) noch keine Spuren gesichert.`, `no evidence secured yet from ${countOf('en', missing, ['affected host', 'affected hosts'])}.`))
  }, () => idle(input.prepared.hostsWithAgent > 0, tx(`${input.prepared.hostsWithAgent} Rechner mit Agent können auf Anforderung Spuren sichern.`, `${countOf('en', input.prepared.hostsWithAgent, ['host', 'hosts'])} with an agent can secure evidence on request.`)))

const judgeDocument: Judge = (input) => {
  const broken = input.incidents.filter((i) => i.timeline.brokenAt !== null)
  const altered = input.incidents.filter((i) => i.timeline.altered.length)
  const problems: Verdict[] = []
  if (broken.length)
    problems.push(dev('critical', tx(`Zeitleiste verändert (Hash-Kette gebrochen): ${broken.map((i) => `${i.number} ab Eintrag ${i.timeline.brokenAt}`).join(', ')}.`,
      `Timeline altered (hash chain broken): ${broken.map((i) => `${i.number} from entry ${i.timeline.brokenAt}`).join(', ')}.`)))
  if (altered.length)
    problems.push(dev('critical', tx(`Gesicherte Beweise verändert: ${altered.map((i) => `${i.number}: ${names(i.timeline.altered, 3)}`).join('; ')}.`,
      `Secured evidence altered: ${altered.map((i) => `${i.number}: ${names(i.timeline.altered, 3)}`).join('; ')}.`)))
  if (problems.length) return verdict(problems, tx('', ''))
  const list = input.incidents.filter(active)
  if (!list.length) return na(tx('Kein Notfall offen. Zeitleisten sind unveränderlich und per Hash-Kette gesichert.', 'No incident open. Timelines are append-only and hash-chained.'))
  return ok(tx(
    list.map((i) => `${lab(i).de}: ${i.timeline.entries} Einträge, davon ${i.timeline.byPeople} von Personen; Hash-Kette intakt.`).join(' '),
    list.map((i) => `${lab(i).en}: ${countOf('en', i.timeline.entries, ['entry', 'entries'])}, ${i.timeline.byPeople} by people; hash chain intact.`).join(' '),
  ))
}

const judgePolice: Judge = (input, now) =>
  perActive(input, now, (i) => {
    const s = decided(i, ['police', 'acs'])
    return step(i, now, 'handle.police', s.all, tx('Polizei (ZAC) und ACS-Meldung entschieden.', 'police (ZAC) and ACS report decided.'),
      tx('Polizei (ZAC) bzw. freiwillige ACS-Meldung noch nicht entschieden.', 'police (ZAC) or the voluntary ACS report not decided yet.'))
  }, () => idle(input.prepared.reporting, tx('Meldewege (Polizei-ZAC des Bundeslands, ACS) sind vorbereitet.', 'Reporting paths (police ZAC of the state, ACS) are prepared.')))

const judgeIntelligence: Judge = (input, now) =>
  perActive(input, now, (i) => {
    if (!i.espionageSuspected) return na({ de: `${lab(i).de}: kein Verdacht auf Spionage.`, en: `${lab(i).en}: no suspicion of espionage.` })
    const s = decided(i, ['intelligence'])
    return step(i, now, 'handle.intelligence', s.all, tx('Verfassungsschutz eingeschaltet bzw. entschieden.', 'Verfassungsschutz contacted or decided.'),
      tx('Spionageverdacht, Verfassungsschutz noch nicht eingeschaltet.', 'espionage suspected, Verfassungsschutz not contacted yet.'), 'medium')
  }, () => na(tx('Kein Notfall offen, kein Verdacht auf Spionage.', 'No incident open, no suspicion of espionage.')))

/** Clocks keep running after the incident is resolved: a report is due whatever the state. */
const judgeObligations: Judge = (input, now) => {
  const withClocks = input.incidents.filter((i) => i.state !== 'closed' && i.clocks.length)
  if (!withClocks.length)
    return input.incidents.some(active)
      ? na(tx('Für den offenen Notfall laufen keine Meldefristen (keine Meldepflicht hinterlegt, die greift).', 'No reporting deadline runs for the open incident (no applicable duty on record).'))
      : idle(input.prepared.reporting, tx('Meldepflichten sind geklärt; die Fristen starten mit einem Notfall.', 'Reporting duties are clarified; the deadlines start with an incident.'))
  const problems: Verdict[] = []
  const fine: Text[] = []
  for (const i of withClocks)
    for (const c of i.clocks) {
      if (c.state !== 'running') continue
      const stage = clockStage(c, now.getTime())
      const left = c.dueAt - now.getTime()
      const name = { de: `${lab(i).de} ${c.title.de}`, en: `${lab(i).en} ${c.title.en}` }
      if (stage === 'overdue') problems.push(dev('critical', { de: `${name.de}: Frist seit ${fmtDuration(-left)} überschritten.`, en: `${name.en}: deadline passed ${fmtDuration(-left)} ago.` }))
      else if (stage === 'due-soon') problems.push(dev('high', { de: `${name.de}: nur noch ${fmtDuration(left)}.`, en: `${name.en}: only ${fmtDuration(left)} left.` }))
      else if (stage === 'half') problems.push(dev('medium', { de: `${name.de}: noch ${fmtDuration(left)}.`, en: `${name.en}: ${fmtDuration(left)} left.` }))
      else fine.push({ de: `${name.de}: noch ${fmtDuration(left)}.`, en: `${name.en}: ${fmtDuration(left)} left.` })
    }
  return verdict(problems, fine.length
    ? { de: `In der Frist: ${fine.map((f) => f.de).join(' ')}`, en: `In time: ${fine.map((f) => f.en).join(' ')}` }
    : tx('Alle Meldefristen sind erfüllt oder als nicht erforderlich begründet.', 'Every reporting deadline is met or justified as not required.'))
}

const followedUp = (input: IncidentsInput) => input.incidents.filter((i) => i.state === 'resolved' || i.state === 'closed')
const followIdle = (input: IncidentsInput) =>
  input.prepared.exercises > 0
    ? na(tx(`Noch kein Notfall behoben; ${input.prepared.exercises} Übung(en) im Protokoll.`, `No incident resolved yet; ${countOf('en', input.prepared.exercises, ['exercise', 'exercises'])} in the log.`))
    : null

const judgeCloseGaps: Judge = (input, now) => {
  const done = followedUp(input)
  if (!done.length) return followIdle(input)
  const today = now.toISOString().slice(0, 10)
  const problems: Verdict[] = []
  for (const i of done) {
    if (!i.tasks.length) {
      problems.push(dev('low', { de: `${lab(i).de}: noch keine Folgeaufgabe erfasst.`, en: `${lab(i).en}: no follow-up task recorded yet.` }))
      continue
    }
    const late = i.tasks.filter((x) => x.state === 'open' && x.dueOn < today)
    if (late.length)
      problems.push(dev('medium', { de: `${lab(i).de}: überfällig: ${names(late.map((x) => `${x.title} (${x.owner}, ${fmtDay(x.dueOn).de})`), 3)}.`, en: `${lab(i).en}: overdue: ${names(late.map((x) => `${x.title} (${x.owner}, ${x.dueOn})`), 3)}.` }))
  }
  const open = done.flatMap((i) => i.tasks).filter((x) => x.state === 'open').length
  return verdict(problems, open
    ? tx(`${open} Folgeaufgabe(n) offen, alle in der Frist.`, `${countOf('en', open, ['follow-up task', 'follow-up tasks'])} open, all in time.`)
    : tx('Alle Folgeaufgaben erledigt.', 'Every follow-up task is done.'))
}

const judgeWatch: Judge = (input, now) => {
  const done = followedUp(input)
  const watches = input.incidents.flatMap((i) => i.watches)
  const running = watches.filter((w) => Date.parse(w.until) > now.getTime())
  if (!done.length && !running.length) return followIdle(input)
  const problems: Verdict[] = []
  const unconfirmed = running.filter((w) => !w.confirmedAt && now.getTime() - Date.parse(w.startedAt) > 60 * MIN).map((w) => w.hostname)
  if (unconfirmed.length)
    problems.push(dev('medium', tx(`Agent hat die verstärkte Überwachung nicht übernommen (offline?): ${names(unconfirmed)}.`, `Agent has not taken the heightened monitoring (offline?): ${names(unconfirmed)}.`)))
  const recent = done.filter((i) => i.hostIds.length && Date.parse(i.resolvedAt ?? i.closedAt ?? i.openedAt) > now.getTime() - 90 * DAY)
  for (const i of recent)
    if (!i.watches.length)
      problems.push(dev('low', { de: `${lab(i).de}: betroffene Rechner werden danach nicht verstärkt überwacht.`, en: `${lab(i).en}: the affected hosts are not watched more closely afterwards.` }))
  return verdict(problems, running.length
    ? tx(`${running.length} Rechner verstärkt überwacht, bis ${fmtDay(running.map((w) => w.until).sort().at(-1)!).de}.`, `${countOf('en', running.length, ['host', 'hosts'])} under heightened monitoring, until ${fmtDay(running.map((w) => w.until).sort().at(-1)!).en}.`)
    : tx('Nach jedem Notfall wurden die betroffenen Rechner verstärkt überwacht.', 'After every incident the affected hosts were watched more closely.'))
}

const judgeLessons: Judge = (input, now) => {
  const done = followedUp(input)
  if (!done.length) return followIdle(input)
  const problems: Verdict[] = []
  for (const i of done) {
    const age = now.getTime() - Date.parse(i.closedAt ?? i.resolvedAt ?? i.openedAt)
    if (!i.lessons) {
      if (i.state === 'closed') problems.push(dev('medium', { de: `${lab(i).de}: abgeschlossen ohne Lehren.`, en: `${lab(i).en}: closed without lessons learned.` }))
      else if (age > 14 * DAY) problems.push(dev('low', { de: `${lab(i).de}: seit über 14 Tagen behoben, Lehren fehlen.`, en: `${lab(i).en}: resolved over 14 days ago, lessons missing.` }))
    } else if (i.lessons.openActions)
      problems.push(dev('low', { de: `${lab(i).de}: ${i.lessons.openActions} Maßnahme(n) der Lehren noch nicht umgesetzt.`, en: `${lab(i).en}: ${countOf('en', i.lessons.openActions, ['action', 'actions'])} of the lessons not carried out yet.` }))
  }
  const with_ = done.filter((i) => i.lessons).length
  return verdict(problems, tx(`Lehren zu ${with_} Notfall/Notfällen festgehalten und umgesetzt.`, `Lessons of ${countOf('en', with_, ['incident', 'incidents'])} recorded and carried out.`))
}

/** Compliance per technical measure, now against 30 days ago: a drop of 10 points or more is a step back. */
const judgeArchitecture: Judge = (input) => {
  if (input.historyDays < 7) return null
  const pct = (x: number) => `${Math.round(x * 100)} %`
  const title = (id: string) => MEASURE_BY_ID.get(id)?.title ?? { de: id, en: id }
  const both = input.trend.filter((x): x is { measureId: string; before: number; now: number } => x.before !== null && x.now !== null)
  const worse = both.filter((x) => x.now <= x.before - 0.1)
  const better = both.filter((x) => x.now >= x.before + 0.1)
  if (worse.length)
    return dev('low', tx(`Schlechter als vor 30 Tagen: ${worse.map((x) => `${title(x.measureId).de} ${pct(x.before)} → ${pct(x.now)}`).join(', ')}.`,
      `Worse than 30 days ago: ${worse.map((x) => `${title(x.measureId).en} ${pct(x.before)} → ${pct(x.now)}`).join(', ')}.`))
  return ok(tx(`Verlauf über ${input.historyDays} Tage: ${better.length} Maßnahme(n) besser als vor 30 Tagen, keine schlechter.`,
    `History of ${input.historyDays} days: ${countOf('en', better.length, ['measure', 'measures'])} better than 30 days ago, none worse.`))
}

const JUDGES: Record<IncidentMeasure, Judge> = {
  'handle.alert': judgeAlert,
  'handle.users': judgeUsers,
  'handle.providers': judgeProviders,
  'handle.evidence': judgeEvidence,
  'handle.document': judgeDocument,
  'handle.police': judgePolice,
  'handle.intelligence': judgeIntelligence,
  'handle.obligations': judgeObligations,
  'follow.close-gaps': judgeCloseGaps,
  'follow.watch': judgeWatch,
  'follow.lessons': judgeLessons,
  'follow.architecture': judgeArchitecture,
}

/** What to do about a deviation: where on the board it is fixed. */
const FIX: Text = { de: 'Auf der Seite des Notfalls erledigen (Notfälle).', en: 'Take care of it on the incident\'s page (Incidents).' }
const FIX_ARCH: Text = { de: 'Die schlechter gewordenen Maßnahmen auf den Rechnern beheben (Übersicht → Maßnahme).', en: 'Fix the measures that got worse on the hosts (Overview → measure).' }

/** Judges every measure of the phases 3 and 4. */
export function evaluateIncidents(input: IncidentsInput, now: Date): IncidentsResult {
  const findings: Finding[] = []
  const notRecorded: IncidentMeasure[] = []
  for (const id of INCIDENT_MEASURES) {
    const v = JUDGES[id](input, now)
    if (!v) notRecorded.push(id)
    else findings.push({ measureId: id, ...v, ...(v.status === 'deviation' ? { fix: id === 'follow.architecture' ? FIX_ARCH : FIX } : {}) })
  }
  return { findings, notRecorded }
}
