// Messages of incidents through the alert channels (outbox: durable, retried, in order per channel). They are rendered
// in both languages when queued — like the readiness digest — because they carry links and names that belong to the
// moment: the alerting chain with each person's acknowledgement link, a deadline with its time left.
import { eq } from 'drizzle-orm'
import {
  CLOCK_STAGE_LABEL, INCIDENT_STATE_LABEL, SCENARIO_LABEL, USER_REPORT_FIELDS,
  displayText, fmtDuration, fmtLocal, type ClockStage, type IncidentState, type Language, type Text, type UserReportAnswers,
} from '@lagebild/shared'
import { channels, outbox } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { DigestPayload } from '../../channels/index.js'
import type { NotifyEvent } from '@lagebild/shared'
import type { IncidentRow } from './store.js'

type Writer = Pick<Db, 'select' | 'insert'>


/**
 * Queues one message per enabled channel. `to`: `all` (an incident concerns everybody, escalation channels too),
 * `normal` (channels not for escalations only), `escalation` (escalation channels only).
 */
export function queueMessage(tx: Writer, event: Extract<NotifyEvent, 'incident' | 'deadline'>, payload: DigestPayload, now: Date, to: 'all' | 'normal' | 'escalation' = 'all'): number {
  const iso = now.toISOString()
  const targets = tx.select().from(channels).where(eq(channels.enabled, true)).all().filter((c) => (to === 'all' ? true : to === 'escalation' ? c.escalation : !c.escalation))
  for (const c of targets) tx.insert(outbox).values({ alertId: null, channelId: c.id, event, payload, createdAt: iso, nextAttemptAt: iso }).run()
  return targets.length
}

const both = (fn: (lang: Language) => { subject: string; text: string }): DigestPayload => ({ de: fn('de'), en: fn('en') })
const drillMark = (i: Pick<IncidentRow, 'drill'>, lang: Language) => (i.drill ? (lang === 'de' ? '[ÜBUNG] ' : '[DRILL] ') : '')
const link = (base: string | null, path: string) => (base ? `${base.replace(/\/+$/, '')}${path}` : path)
// Host names, the answers of a user report and the title and description drawn from them are agent or public text: they
// pass displayText like an alert's reasons (channels/message.ts); each channel then escapes for its own markup.
const line = (s: string) => displayText(s, { max: 200 })
const para = (s: string) => displayText(s, { multiline: true, max: 4000 })

const T = {
  de: {
    opened: 'IT-NOTFALL', severity: 'Schweregrad', scenario: 'Szenario', hosts: 'Betroffene Rechner', aware: 'Bekannt seit', page: 'Im Lagebild',
    chain: 'Alarmierungskette – bitte jede Person ihren Link öffnen und bestätigen:', confirm: 'bestätigen', noChain: 'Keine Alarmierungskette hinterlegt.',
    steps: 'Erste Schritte laut Notfallplan', drill: 'Dies ist eine ÜBUNG. Bitte so handeln wie im Ernstfall, aber nichts nach außen melden.',
    deadline: 'Meldefrist', due: 'Fällig', left: 'Verbleibend', passed: 'Überschritten seit', recipient: 'An', basis: 'Grundlage',
    report: 'Neue Meldung über das Webformular', triage: 'Prüfen und einem Notfall zuordnen oder einen eröffnen', state: 'Notfall',
  },
  en: {
    opened: 'IT EMERGENCY', severity: 'Severity', scenario: 'Scenario', hosts: 'Affected hosts', aware: 'Known since', page: 'In Lagebild',
    chain: 'Alerting chain – each person please open their link and confirm:', confirm: 'confirm', noChain: 'No alerting chain on record.',
    steps: 'First steps of the emergency plan', drill: 'This is a DRILL. Please act as in a real emergency, but report nothing to the outside.',
    deadline: 'Reporting deadline', due: 'Due', left: 'Left', passed: 'Passed', recipient: 'To', basis: 'Basis',
    report: 'New report from the web form', triage: 'Check it and assign it to an incident, or open one', state: 'Incident',
  },
} as const

export interface ChainLink {
  name: string
  phone: string | null
  note: string
  token: string
}

/** The message that alerts the chain when an incident opens. */
export function openedMessage(i: IncidentRow, hostnames: string[], chain: ChainLink[], steps: { de: string[]; en: string[] } | null, zone: string): DigestPayload {
  return both((lang) => {
    const t = T[lang]
    const lines = [`${drillMark(i, lang)}${t.opened}: ${i.number} – ${line(i.title)}`, '']
    if (i.drill) lines.push(t.drill, '')
    lines.push(`${t.severity}: ${i.severity}`, `${t.scenario}: ${SCENARIO_LABEL[i.scenario][lang]}`, `${t.aware}: ${fmtLocal(Date.parse(i.awareAt), zone)[lang]}`)
    if (hostnames.length) lines.push(`${t.hosts}: ${hostnames.map(line).join(', ')}`)
    if (i.description) lines.push('', para(i.description))
    lines.push('', chain.length ? t.chain : t.noChain)
    for (const c of chain) lines.push(`  • ${c.name}${c.phone ? ` (${c.phone})` : ''}${c.note ? ` – ${c.note}` : ''}: ${link(i.baseUrl, `/ack/${c.token}`)}`)
    if (steps?.[lang].length) lines.push('', `${t.steps}:`, ...steps[lang].map((s, n) => `  ${n + 1}. ${s}`))
    lines.push('', `${t.page}: ${link(i.baseUrl, `/incidents/${i.id}`)}`)
    return { subject: `[Lagebild] ${drillMark(i, lang)}${t.opened}: ${line(i.title)} (${i.number})`, text: lines.join('\n') }
  })
}

/** An incident changed its state (contained, resolved, closed). */
export function stateMessage(i: IncidentRow, state: IncidentState, by: string, note: string): DigestPayload {
  return both((lang) => {
    const t = T[lang]
    const s = INCIDENT_STATE_LABEL[state][lang]
    return {
      subject: `[Lagebild] ${drillMark(i, lang)}${t.state} ${i.number}: ${s}`,
      text: [`${drillMark(i, lang)}${t.state} ${i.number} – ${line(i.title)}: ${s} (${by})`, ...(note ? ['', note] : []), '', `${t.page}: ${link(i.baseUrl, `/incidents/${i.id}`)}`].join('\n'),
    }
  })
}

/** A reporting deadline has reached a stage: half the time, the last twelfth, overdue. */
export function deadlineMessage(i: IncidentRow, title: Text, recipient: Text, basis: Text, stage: ClockStage, dueAt: number, now: Date, zone: string): DigestPayload {
  return both((lang) => {
    const t = T[lang]
    const left = dueAt - now.getTime()
    const when = left >= 0 ? `${t.left}: ${fmtDuration(left)}` : `${t.passed}: ${fmtDuration(-left)}`
    return {
      subject: `[Lagebild] ${drillMark(i, lang)}${t.deadline} ${i.number}: ${title[lang]} – ${CLOCK_STAGE_LABEL[stage][lang]}`,
      text: [
        `${drillMark(i, lang)}${t.deadline}: ${title[lang]}`, `${i.number} – ${line(i.title)}`, '',
        `${t.due}: ${fmtLocal(dueAt, zone)[lang]}`, when, `${t.recipient}: ${recipient[lang]}`, `${t.basis}: ${basis[lang]}`, '',
        `${t.page}: ${link(i.baseUrl, `/incidents/${i.id}#clocks`)}`,
      ].join('\n'),
    }
  })
}

/** A report from the web form waits for somebody to look at it (no account sent it: it opens nothing by itself). */
export function webReportMessage(receipt: string, a: UserReportAnswers, baseUrl: string | null): DigestPayload {
  return both((lang) => {
    const t = T[lang]
    const f = (k: keyof typeof USER_REPORT_FIELDS, v: string) => (v ? [`${USER_REPORT_FIELDS[k][lang]} ${k === 'observed' ? para(v) : line(v)}`] : [])
    return {
      subject: `[Lagebild] ${t.report} (${receipt}): ${line(a.system)}`,
      text: [
        `${t.report} (${receipt})`, '',
        ...f('reporter', a.reporter), ...f('phone', a.phone), ...f('system', a.system), ...f('observed', a.observed), ...f('when', a.when), ...f('where', a.where), '',
        `${t.triage}: ${link(baseUrl, '/incidents')}`,
      ].join('\n'),
    }
  })
}


