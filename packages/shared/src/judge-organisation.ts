// Judges of the emergency organisation: roles, contacts, the first contact's reachability (the card), providers,
// the emergency and communication plans, crown jewels, reporting duties. Each returns null while its record has never
// been kept ("not recorded" is not a deviation of a company that has not started yet). Pure.
import { coverageGaps, describeGaps, type CoverageGap, type Reachable } from './coverage.js'
import { ROLE_KINDS, SCENARIOS, type ContactInput, type Entry, type ReportingDoc } from './readiness.js'
import { CONTACT_KIND_LABEL, ROLE_LABEL, SCENARIO_LABEL } from './readiness-texts.js'
import { dev, fmtDay, names, nOf, overdueOf, tx, verdict, type ReadinessInput, type RecordState, type Verdict } from './readiness-input.js'
import Type, { type Static } from 'typebox'
import { oneOf, TextSchema, type Text } from './common.js'

type Contact = Entry<ContactInput>
type States = Partial<Record<RecordState['kind'], RecordState>>

const byId = (input: ReadinessInput) => new Map(input.contacts.map((c) => [c.id, c]))
const assignment = (input: ReadinessInput, role: (typeof ROLE_KINDS)[number]) => input.roles?.assignments.find((a) => a.role === role)

/** The people who answer the emergency number: the first contact, the deputies, providers on standby (with a phone). */
export function firstContactPeople(input: ReadinessInput): { holder: Contact | null; deputies: Contact[]; standby: { provider: string; contact: Contact }[] } {
  const map = byId(input)
  const a = assignment(input, 'first-contact')
  const holder = (a?.holderId && map.get(a.holderId)) || null
  const deputies = (a?.deputyIds ?? []).map((id) => map.get(id)).filter((c): c is Contact => !!c)
  const standby = input.providers
    .filter((p) => p.standby && p.contactId && map.has(p.contactId))
    .map((p) => ({ provider: p.name, contact: map.get(p.contactId!)! }))
  return { holder, deputies, standby }
}

/** Who can be called for the first contact; somebody without a phone cannot (e-mail alone does not count as reachable). */
export function firstContactReachable(input: ReadinessInput): Reachable[] {
  const p = firstContactPeople(input)
  const list: [Contact, string][] = [
    ...(p.holder ? [[p.holder, p.holder.name] as [Contact, string]] : []),
    ...p.deputies.map((c): [Contact, string] => [c, c.name]),
    ...p.standby.map((s): [Contact, string] => [s.contact, `${s.provider} (${s.contact.name})`]),
  ]
  return list.filter(([c]) => c.phone || c.mobile).map(([c, name]) => ({ name, zone: c.timeZone, windows: c.availability }))
}

const gapsMemo = new WeakMap<ReadinessInput, { at: number; gaps: CoverageGap[] }>()
/** The first contact's gaps of this and next week; judging and the card ask for the same, so it is worked out once. */
export function firstContactGaps(input: ReadinessInput, now: Date): CoverageGap[] {
  const hit = gapsMemo.get(input)
  if (hit && hit.at === now.getTime()) return hit.gaps
  const gaps = coverageGaps(firstContactReachable(input), input.company.requiredCoverage, input.company.timeZone, now)
  gapsMemo.set(input, { at: now.getTime(), gaps })
  return gaps
}

export function judgeRoles(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta.roles) return null
  const map = byId(input)
  const problems: Verdict[] = []
  for (const role of ROLE_KINDS) {
    const a = assignment(input, role)
    const holder = a?.holderId ? map.get(a.holderId) : undefined
    const label = ROLE_LABEL[role]
    if (!holder) {
      problems.push(dev(role === 'first-contact' ? 'high' : 'medium', tx(`${label.de}: nicht besetzt.`, `${label.en}: not filled.`)))
      continue
    }
    if (!(a!.deputyIds.some((id) => map.has(id))))
      problems.push(dev('medium', tx(`${label.de} (${holder.name}) hat keine Vertretung.`, `${label.en} (${holder.name}) has no deputy.`)))
  }
  problems.push(...overdueOf(states.roles))
  return verdict(problems, tx('Alle Rollen sind besetzt, jede mit Vertretung.', 'Every role is filled, each with a deputy.'))
}

export function judgeContacts(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta.contacts) return null
  if (!input.contacts.length) return dev('medium', tx('Keine Kontakte erfasst.', 'No contacts recorded.'))
  const map = byId(input)
  const needed = new Map<string, Contact>()
  const add = (id: string | null | undefined) => id && map.has(id) && needed.set(id, map.get(id)!)
  for (const a of input.roles?.assignments ?? []) [a.holderId, ...a.deputyIds].forEach(add)
  for (const c of input.plan?.alertingChain ?? []) add(c.contactId)
  for (const p of input.providers) if (p.standby) add(p.contactId)
  const list = [...needed.values()]
  const noPhone = list.filter((c) => !c.phone && !c.mobile).map((c) => c.name)
  const noHours = list.filter((c) => !c.availability.length).map((c) => c.name)
  const problems: Verdict[] = []
  if (noPhone.length) problems.push(dev('medium', tx(`Ohne Telefonnummer: ${names(noPhone)}.`, `No phone number: ${names(noPhone)}.`)))
  if (noHours.length) problems.push(dev('medium', tx(`Ohne Erreichbarkeitszeiten: ${names(noHours)}.`, `No availability hours: ${names(noHours)}.`)))
  problems.push(...overdueOf(states.contacts))
  return verdict(problems, tx(`${input.contacts.length} Kontakte; alle in Rollen und Alarmierung mit Telefon und Zeiten.`,
    `${input.contacts.length} contacts; everyone in a role or the alerting chain has a phone and hours.`))
}

/** ready.card: the card names a first contact who can be called whenever the company requires it. */
export function judgeCard(input: ReadinessInput, now: Date): Verdict | null {
  if (!input.meta.roles) return null
  const p = firstContactPeople(input)
  if (!p.holder) return dev('high', tx('Kein Erstkontakt benannt: die Notfallkarte nennt niemanden.', 'No first contact named: the emergency card names nobody.'))
  if (!p.holder.phone && !p.holder.mobile)
    return dev('high', tx(`Der Erstkontakt ${p.holder.name} hat keine Telefonnummer.`, `The first contact ${p.holder.name} has no phone number.`))
  const gaps = firstContactGaps(input, now)
  if (gaps.length) {
    const g = describeGaps(gaps)
    return dev('medium', tx(`Erstkontakt nicht erreichbar: ${g.de}.`, `First contact not reachable: ${g.en}.`))
  }
  const dep = p.deputies.length ? tx(`, Vertretung ${p.deputies[0]!.name}`, `, deputy ${p.deputies[0]!.name}`) : tx('', '')
  return verdict([], tx(`Erstkontakt ${p.holder.name}${dep.de}; zu allen geforderten Zeiten erreichbar.`, `First contact ${p.holder.name}${dep.en}; reachable at all required hours.`))
}

export function judgeProviders(input: ReadinessInput, states: States, now: Date): Verdict | null {
  if (!input.meta.providers) return null
  if (!input.providers.length) return dev('medium', tx('Kein IT-Dienstleister erfasst.', 'No IT provider recorded.'))
  const map = byId(input)
  const problems: Verdict[] = []
  for (const p of input.providers) {
    const c = p.contactId ? map.get(p.contactId) : undefined
    if (!c || (!c.phone && !c.mobile)) problems.push(dev('medium', tx(`${p.name}: keine Rufnummer hinterlegt.`, `${p.name}: no phone number recorded.`)))
    if (!p.supports.length) problems.push(dev('low', tx(`${p.name}: nicht vereinbart, bei welchen Vorfällen geholfen wird.`, `${p.name}: not agreed which incidents they help with.`)))
    if (Date.parse(`${p.contractReviewDate}T00:00:00Z`) < now.getTime()) {
      const d = fmtDay(p.contractReviewDate)
      problems.push(dev('low', tx(`${p.name}: Vertrag seit ${d.de} zu überprüfen.`, `${p.name}: contract review due since ${d.en}.`)))
    }
  }
  problems.push(...overdueOf(states.providers))
  const fastest = Math.min(...input.providers.map((p) => p.responseTimeHours))
  const n = nOf(input.providers.length, ['Dienstleister', 'Dienstleister'], ['provider', 'providers'])
  return verdict(problems, tx(`${n.de} mit Vereinbarung, schnellste Reaktion ${fastest} h.`, `${n.en} with an agreement, fastest response ${fastest} h.`))
}

export function judgeMoreProviders(input: ReadinessInput): Verdict | null {
  if (!input.meta.providers) return null
  const ir = input.providers.filter((p) => p.incidentResponse)
  if (!ir.length)
    return dev('medium', tx('Kein Dienstleister für die Vorfallsbehandlung (Incident Response) ausgewählt.', 'No incident-response provider selected.'))
  return verdict([], tx(`Für die Vorfallsbehandlung bereit: ${names(ir.map((p) => p.name))}.`, `Ready for incident response: ${names(ir.map((p) => p.name))}.`))
}

export function judgePlan(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta.plan || !input.plan) return null
  const map = byId(input)
  const problems: Verdict[] = []
  const chain = input.plan.alertingChain
  if (!chain.length) problems.push(dev('high', tx('Keine Alarmierungskette: unklar, wer wen anruft.', 'No alerting chain: unclear who calls whom.')))
  const noPhone = chain.map((s) => map.get(s.contactId)).filter((c) => !c || (!c.phone && !c.mobile)).map((c) => c?.name ?? '—')
  if (noPhone.length) problems.push(dev('medium', tx(`In der Alarmierungskette ohne Telefon: ${names(noPhone)}.`, `In the alerting chain without phone: ${names(noPhone)}.`)))
  const empty = SCENARIOS.filter((s) => !input.plan!.scenarios[s].de.trim() && !input.plan!.scenarios[s].en.trim())
  if (empty.length)
    problems.push(dev('medium', tx(`Keine ersten Schritte für: ${empty.map((s) => SCENARIO_LABEL[s].de).join(', ')}.`, `No first steps for: ${empty.map((s) => SCENARIO_LABEL[s].en).join(', ')}.`)))
  problems.push(...overdueOf(states.plan))
  const steps = nOf(chain.length, ['Stufe', 'Stufen'], ['step', 'steps'])
  return verdict(problems, tx(`Alarmierungskette mit ${steps.de}, erste Schritte für ${SCENARIOS.length} Szenarien.`, `Alerting chain of ${steps.en}, first steps for ${SCENARIOS.length} scenarios.`))
}

export function judgeCommunication(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta.communication || !input.communication) return null
  const c = input.communication
  const speaker = c.spokespersonId ? byId(input).get(c.spokespersonId) : undefined
  const problems: Verdict[] = []
  if (!speaker) problems.push(dev('medium', tx('Keine Sprecherin / kein Sprecher für die Presse benannt.', 'No spokesperson for the press named.')))
  const blank = (x: Text) => !x.de.trim() && !x.en.trim()
  if (blank(c.internal)) problems.push(dev('medium', tx('Keine Regeln für die interne Kommunikation.', 'No rules for internal communication.')))
  if (blank(c.external)) problems.push(dev('medium', tx('Keine Regeln für die externe Kommunikation.', 'No rules for external communication.')))
  problems.push(...overdueOf(states.communication))
  const tpl = nOf(c.templates.length, ['Vorlage', 'Vorlagen'], ['template', 'templates'])
  return verdict(problems, tx(`Sprecher/in ${speaker?.name ?? ''}, Regeln innen und außen, ${tpl.de}.`, `Spokesperson ${speaker?.name ?? ''}, rules inside and out, ${tpl.en}.`))
}

export function judgeCrownJewels(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta['crown-jewels']) return null
  if (!input.crownJewels.length) return dev('medium', tx('Keine Kronjuwelen (zeitkritische Prozesse) benannt.', 'No crown jewels (time-critical processes) named.'))
  const problems: Verdict[] = []
  for (const j of input.crownJewels) {
    if (!j.hostIds.length && !j.services.length)
      problems.push(dev('low', tx(`${j.name}: keine Rechner oder Dienste zugeordnet.`, `${j.name}: no hosts or services assigned.`)))
    const gone = j.hostIds.filter((id) => !input.hosts.names[id])
    const g = nOf(gone.length, ['Rechner gibt es nicht mehr', 'Rechner gibt es nicht mehr'], ['host no longer exists', 'hosts no longer exist'])
    if (gone.length) problems.push(dev('low', tx(`${j.name}: ${g.de}.`, `${j.name}: ${g.en}.`)))
  }
  const loose = input.hosts.flaggedWithoutProcess
  if (loose.length)
    problems.push(dev('low', tx(`Als Kronjuwel markiert, aber keinem Prozess zugeordnet: ${names(loose)}.`, `Marked as crown jewel but part of no process: ${names(loose)}.`)))
  problems.push(...overdueOf(states['crown-jewels']))
  const shortest = Math.min(...input.crownJewels.map((j) => j.maxDowntimeHours))
  const n = nOf(input.crownJewels.length, ['zeitkritischer Prozess', 'zeitkritische Prozesse'], ['time-critical process', 'time-critical processes'])
  return verdict(problems, tx(`${n.de}, kürzeste tolerierbare Ausfallzeit ${shortest} h.`, `${n.en}, shortest tolerable downtime ${shortest} h.`))
}

export const REPORTING_CLOCKS = ['gdpr-authority', 'nis2-early-warning', 'nis2-notification', 'nis2-final', 'insurer'] as const
export const ReportingClockSchema = Type.Object(
  { id: oneOf(REPORTING_CLOCKS), title: TextSchema, hours: Type.Number({ description: 'Due this many hours after becoming aware' }) },
  { additionalProperties: false, description: 'A deadline that starts in an incident' },
)
export type ReportingClock = Static<typeof ReportingClockSchema>

/** Which deadline clocks start in an incident, from the answers (used when an incident is opened). */
export function reportingClocks(r: ReportingDoc | null): ReportingClock[] {
  if (!r) return []
  const out: ReportingClock[] = []
  if (r.personalData !== 'no') out.push({ id: 'gdpr-authority', title: tx('DSGVO Art. 33: Meldung an die Datenschutzaufsicht', 'GDPR art. 33: report to the data-protection authority'), hours: 72 })
  if (nis2Applies(r)) {
    out.push({ id: 'nis2-early-warning', title: tx('BSIG §32: Frühwarnung an das BSI', 'BSIG §32: early warning to the BSI'), hours: 24 })
    out.push({ id: 'nis2-notification', title: tx('BSIG §32: Meldung an das BSI', 'BSIG §32: notification to the BSI'), hours: 72 })
    out.push({ id: 'nis2-final', title: tx('BSIG §32: Abschlussmeldung', 'BSIG §32: final report'), hours: 30 * 24 })
  }
  if (r.insurerNoticeHours) out.push({ id: 'insurer', title: tx('Meldung an die Cyber-Versicherung', 'Notice to the cyber insurer'), hours: r.insurerNoticeHours })
  return out
}
export const nis2Applies = (r: ReportingDoc) => r.kritis === 'yes' || (r.nis2Sector === 'yes' && r.nis2Size === 'yes')

export function judgeReporting(input: ReadinessInput, states: States): Verdict | null {
  if (!input.meta.reporting || !input.reporting) return null
  const r = input.reporting
  const problems: Verdict[] = []
  const unsure = (['personalData', 'nis2Sector', 'nis2Size', 'kritis'] as const).filter((k) => r[k] === 'unsure')
  if (unsure.length) {
    const q = nOf(unsure.length, ['Frage', 'Fragen'], ['applicability question', 'applicability questions'])
    problems.push(dev('medium', tx(`Noch unklar: ${q.de} zur Betroffenheit (NIS2/KRITIS/DSGVO); das BSI bietet eine Betroffenheitsprüfung.`,
      `Still unclear: ${q.en} (NIS2/KRITIS/GDPR); the BSI offers an applicability check.`)))
  }
  if (nis2Applies(r) && !r.bsiRegistered) problems.push(dev('high', tx('NIS2 gilt, aber die Registrierung beim BSI fehlt.', 'NIS2 applies but the registration with the BSI is missing.')))
  if (!input.company.federalState) problems.push(dev('medium', tx('Bundesland nicht angegeben: die zuständige Polizei-ZAC ist unklar.', 'Federal state not set: the responsible police contact point is unclear.')))
  const has = (kind: ContactInput['kind']) => input.contacts.some((c) => c.kind === kind && (c.phone || c.mobile || c.email))
  for (const kind of ['data-protection-authority', 'police'] as const) {
    if (kind === 'data-protection-authority' && r.personalData === 'no') continue
    if (!has(kind)) problems.push(dev('medium', tx(`Kein Kontakt hinterlegt: ${CONTACT_KIND_LABEL[kind].de}.`, `No contact recorded: ${CONTACT_KIND_LABEL[kind].en}.`)))
  }
  problems.push(...overdueOf(states.reporting))
  const clocks = reportingClocks(r)
  return verdict(problems, tx(`Es gelten: ${clocks.map((c) => `${c.title.de} (${c.hours} h)`).join('; ') || 'keine Meldefristen'}. Behördenkontakte hinterlegt.`,
    `Applies: ${clocks.map((c) => `${c.title.en} (${c.hours} h)`).join('; ') || 'no reporting deadlines'}. Authority contacts recorded.`))
}

