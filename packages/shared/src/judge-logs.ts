// Judges of the logs (exercises, penetration tests, trainings, restore tests), the record parts of the technical
// measures (two-factor, network plan, segmentation), and the measures that watch the system itself (monitoring
// coverage, status checked, documentation current). Pure.
import { PENTEST_SEVERITIES, RECORDS, TRAINING_MIN_SHARE, ALERT_NEGLECT_DAYS } from './readiness.js'
import { RESTORE_RESULT_LABEL, TWO_FACTOR_LABEL } from './readiness-texts.js'
import {
  ageDays, dev, fmtDay, names, newest, nOf, ok, overdueOf, tx, unknownV, verdict,
  type ReadinessInput, type RecordState, type Verdict,
} from './readiness-input.js'

type States = Partial<Record<RecordState['kind'], RecordState>>
const months = (days: number) => Math.round(days / 30.4)

/** A log is current when its newest entry is younger than the interval. */
function logAge(kind: 'exercises' | 'pentests' | 'trainings', list: { date: string }[], states: States, now: Date, what: { de: string; en: string }): Verdict[] {
  const last = newest(list)
  const interval = states[kind]?.reviewIntervalDays ?? RECORDS[kind].defaultIntervalDays
  if (!last) return [dev('medium', tx(`Noch keine ${what.de} erfasst.`, `No ${what.en} recorded yet.`))]
  const age = ageDays(last.date, now)
  if (age <= interval) return []
  const d = fmtDay(last.date)
  return [dev('medium', tx(`Letzte ${what.de} am ${d.de}, vor ${months(age)} Monaten (Intervall ${months(interval)} Monate).`,
    `Last ${what.en} on ${d.en}, ${months(age)} months ago (interval ${months(interval)} months).`))]
}

export function judgeExercises(input: ReadinessInput, states: States, now: Date): Verdict | null {
  if (!input.meta.exercises) return null
  const last = newest(input.exercises)
  return verdict(logAge('exercises', input.exercises, states, now, { de: 'Übung', en: 'exercise' }),
    tx(`Letzte Übung am ${fmtDay(last?.date ?? '').de}: ${last?.title}.`, `Last exercise on ${fmtDay(last?.date ?? '').en}: ${last?.title}.`))
}

export function judgePentests(input: ReadinessInput, states: States, now: Date): Verdict | null {
  if (!input.meta.pentests) return null
  const problems = logAge('pentests', input.pentests, states, now, { de: 'Prüfung', en: 'test' })
  const open = input.pentests.flatMap((p) => p.findings.filter((f) => f.fixedOn === null))
  if (open.length) {
    const top = [...open].sort((a, b) => PENTEST_SEVERITIES.indexOf(b.severity) - PENTEST_SEVERITIES.indexOf(a.severity))[0]!
    const count = nOf(open.length, ['offener Befund', 'offene Befunde'], ['open finding', 'open findings'])
    problems.push(dev(top.severity, tx(`${count.de}, z. B. ${top.title}.`, `${count.en}, e.g. ${top.title}.`)))
  }
  const last = newest(input.pentests)
  return verdict(problems, tx(`Letzter Test am ${fmtDay(last?.date ?? '').de} (${last?.tester}), keine offenen Befunde.`, `Last test on ${fmtDay(last?.date ?? '').en} (${last?.tester}), no open findings.`))
}

export function judgeTrainings(input: ReadinessInput, states: States, now: Date): Verdict | null {
  if (!input.meta.trainings) return null
  const staff = input.company.staffCount
  const interval = states.trainings?.reviewIntervalDays ?? RECORDS.trainings.defaultIntervalDays
  const recent = input.trainings.filter((t) => ageDays(t.date, now) <= interval)
  // Names, not head counts: the same person in two sessions is trained once.
  const trained = new Set(recent.flatMap((t) => t.participants.map((p) => p.trim().toLowerCase())).filter(Boolean)).size
  if (staff === null) return unknownV(tx(`${trained} Personen geschult; die Zahl der Beschäftigten fehlt in den Angaben zum Unternehmen.`, `${trained} people trained; the staff count is missing from the company settings.`))
  const share = Math.min(1, trained / staff)
  const pct = Math.round(share * 100)
  if (share < TRAINING_MIN_SHARE)
    return dev('medium', tx(`${trained} von ${staff} Beschäftigten (${pct} %) in den letzten ${months(interval)} Monaten geschult; nötig sind ${TRAINING_MIN_SHARE * 100} %.`,
      `${trained} of ${staff} staff (${pct} %) trained in the last ${months(interval)} months; ${TRAINING_MIN_SHARE * 100} % are needed.`))
  return ok(tx(`${trained} von ${staff} Beschäftigten (${pct} %) in den letzten ${months(interval)} Monaten geschult.`, `${trained} of ${staff} staff (${pct} %) trained in the last ${months(interval)} months.`))
}

/** base.backups, record part: every backup source the agents report (and every source tested) restored within the interval. */
export function judgeRestoreTests(input: ReadinessInput, states: States, now: Date): Verdict | null {
  if (!input.meta['restore-tests']) return null
  const interval = states['restore-tests']?.reviewIntervalDays ?? RECORDS['restore-tests'].defaultIntervalDays
  const key = (s: string) => s.trim().toLowerCase()
  const sources = new Map<string, string>()
  for (const s of [...input.backupSources, ...input.restoreTests.map((t) => t.source)]) if (!sources.has(key(s))) sources.set(key(s), s)
  if (!sources.size) return dev('medium', tx('Keine Wiederherstellungstests erfasst.', 'No restore tests recorded.'))
  const untested: string[] = []
  const stale: string[] = []
  const problems: Verdict[] = []
  for (const [k, label] of sources) {
    const last = newest(input.restoreTests.filter((t) => key(t.source) === k))
    if (!last) untested.push(label)
    else if (ageDays(last.date, now) > interval) stale.push(`${label} (${fmtDay(last.date).de})`)
    else if (last.result !== 'success')
      problems.push(dev(last.result === 'failed' ? 'high' : 'medium', tx(`Letzter Test von ${label}: ${RESTORE_RESULT_LABEL[last.result].de}.`, `Last test of ${label}: ${RESTORE_RESULT_LABEL[last.result].en}.`)))
  }
  if (untested.length) problems.push(dev('medium', tx(`Nie wiederhergestellt: ${names(untested)}.`, `Never restored: ${names(untested)}.`)))
  if (stale.length) problems.push(dev('medium', tx(`Test älter als ${months(interval)} Monate: ${names(stale)}.`, `Test older than ${months(interval)} months: ${names(stale)}.`)))
  const all = nOf(sources.size, ['Sicherungsquelle', 'Sicherungsquellen'], ['backup source', 'backup sources'])
  return verdict(problems, tx(`${all.de} in den letzten ${months(interval)} Monaten erfolgreich wiederhergestellt.`, `${all.en} restored successfully in the last ${months(interval)} months.`))
}

/** base.passwords, record part: two-factor sign-in of the critical services. */
export function judgeTwoFactor(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta['two-factor']) return null
  if (!input.twoFactor.length) return dev('medium', tx('Keine kritischen Dienste mit ihrem Zwei-Faktor-Stand erfasst.', 'No critical services with their two-factor state recorded.'))
  const problems: Verdict[] = []
  for (const state of ['off', 'partial'] as const) {
    const list = input.twoFactor.filter((s) => s.state === state).map((s) => s.service)
    if (list.length)
      problems.push(dev(state === 'off' ? 'medium' : 'low', tx(`Zwei-Faktor ${TWO_FACTOR_LABEL[state].de}: ${names(list)}.`, `Two-factor ${TWO_FACTOR_LABEL[state].en}: ${names(list)}.`)))
  }
  problems.push(...overdueOf(states['two-factor']))
  const enforced = input.twoFactor.filter((s) => s.state === 'enforced').length
  const rest = input.twoFactor.length - enforced
  return verdict(problems, rest
    ? tx(`Zwei-Faktor erzwungen für ${enforced} von ${input.twoFactor.length} kritischen Diensten; ${rest} bieten es nicht an.`, `Two-factor enforced for ${enforced} of ${input.twoFactor.length} critical services; ${rest} do not offer it.`)
    : tx(`Zwei-Faktor für alle ${enforced} kritischen Dienste erzwungen.`, `Two-factor enforced for all ${enforced} critical services.`))
}

export function judgeNetworkPlan(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta['network-plan']) return null
  if (!input.networkPlan) return dev('low', tx('Kein Netzplan hinterlegt.', 'No network plan on file.'))
  const d = fmtDay(input.networkPlan.uploadedAt)
  return verdict(overdueOf(states['network-plan']), tx(`Netzplan „${input.networkPlan.name}“ vom ${d.de}.`, `Network plan "${input.networkPlan.name}" of ${d.en}.`))
}

export function judgeSegmentation(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta.segmentation || !input.segmentation) return null
  const zones = input.segmentation.zones
  const problems = overdueOf(states.segmentation)
  if (zones.length < 2) problems.push(dev('low', tx('Nur eine Netzzone dokumentiert: alles liegt in einem Netz.', 'Only one network zone documented: everything shares one network.')))
  return verdict(problems, tx(`${zones.length} Netzzonen dokumentiert: ${names(zones.map((z) => z.name))}.`, `${zones.length} network zones documented: ${names(zones.map((z) => z.name))}.`))
}

/** prep.monitoring: how many of the company's computers have an agent. */
export function judgeMonitoring(input: ReadinessInput): Verdict | null {
  const { total } = input.hosts
  const expected = input.company.deviceCount
  if (expected === null) {
    if (!total) return null
    const n = nOf(total, ['Rechner', 'Rechner'], ['computer', 'computers'])
    return unknownV(tx(`${n.de} mit Agent; wie viele das Unternehmen hat, ist nicht angegeben.`, `${n.en} with an agent; how many the company has is not recorded.`))
  }
  if (total < expected) return dev('medium', tx(`Nur ${total} von ${expected} Rechnern haben einen Agenten.`, `Only ${total} of ${expected} computers have an agent.`))
  return ok(tx(`Alle ${expected} Rechner haben einen Agenten (${total} angemeldet).`, `All ${expected} computers have an agent (${total} enrolled).`))
}

/** ready.status: somebody hears about deviations, and somebody looks. */
export function judgeStatus(input: ReadinessInput): Verdict | null {
  if (!input.hosts.total) return null
  const problems: Verdict[] = []
  if (!input.channels) problems.push(dev('medium', tx('Kein Alarmkanal eingerichtet: niemand erfährt von Abweichungen.', 'No alert channel set up: nobody hears about deviations.')))
  if (input.neglectedAlerts) {
    const n = nOf(input.neglectedAlerts, ['Alarm', 'Alarme'], ['alert', 'alerts'])
    problems.push(dev('low', tx(`${n.de} seit über ${ALERT_NEGLECT_DAYS} Tagen unbestätigt.`, `${n.en} unacknowledged for more than ${ALERT_NEGLECT_DAYS} days.`)))
  }
  const ch = nOf(input.channels, ['Alarmkanal', 'Alarmkanäle'], ['alert channel', 'alert channels'])
  return verdict(problems, tx(`${ch.de}; Alarme werden bestätigt.`, `${ch.en}; alerts are acknowledged.`))
}

/** follow.docs: every document-like record reviewed within its interval (logs are judged by their own measures). */
export function judgeDocs(states: RecordState[]): Verdict | null {
  const docs = states.filter((s) => s.recorded && !RECORDS[s.kind].log)
  if (!docs.length) return null
  const late = docs.filter((s) => s.overdue)
  if (late.length)
    return dev('low', tx(`Überprüfung überfällig: ${late.map((s) => `${RECORDS[s.kind].title.de} (seit ${fmtDay(s.dueAt!).de})`).join(', ')}.`,
      `Review overdue: ${late.map((s) => `${RECORDS[s.kind].title.en} (since ${fmtDay(s.dueAt!).en})`).join(', ')}.`))
  return ok(tx(`Alle ${docs.length} Nachweise innerhalb ihres Intervalls überprüft.`, `All ${docs.length} records reviewed within their interval.`))
}
