// The checklist of an incident, made from the readiness records when it opens — the first steps of its scenario, the
// providers that agreed to help with it, the police contact point (ZAC) of the company's federal state, the voluntary
// ACS report, the Verfassungsschutz when espionage is suspected — and ticked with who and when.
import { randomUUID } from 'node:crypto'
import { and, eq, max } from 'drizzle-orm'
import {
  FEDERAL_STATE_LABEL, PROVIDER_STEP, STEP_MEASURE, STEP_OUTCOME_LABEL, STEP_TEXT, ZAC_CONTACTS, isOneOf, SCENARIOS,
  type IncidentScenario, type StepKind, type StepOutcome, type Text,
} from '@lagebild/shared'
import { incidentSteps } from '../../db/schema.js'
import { InputError } from '../../errors.js'
import { contactsOfKind, firstSteps, providersFor } from '../readiness/index.js'
import { getCompany, listItems } from '../readiness/store.js'
import { appendEntry } from './timeline.js'
import { getIncident, type IncidentChange, type Tx } from './store.js'

type Contact = { name: string; phone: string | null; email: string | null }
interface NewStep { kind: StepKind; title: Text; help: Text; contact: Contact | null }

const t = (de: string, en: string): Text => ({ de, en })
const ACS: Contact = { name: 'ACS-Meldestelle (BSI)', phone: null, email: 'meldestelle@bsi.bund.de' }

/** The police step: a police contact on record, else the ZAC of the company's state as far as its number is known. */
function policeContact(tx: Tx): { contact: Contact | null; help: Text } {
  const recorded = contactsOfKind(tx, 'police')[0]
  if (recorded) return { contact: { name: recorded.name, phone: recorded.phone ?? recorded.mobile, email: recorded.email }, help: STEP_TEXT.police.help }
  const state = getCompany(tx).federalState
  if (!state)
    return { contact: null, help: t(`${STEP_TEXT.police.help.de} Bundesland nicht hinterlegt (Bereitschaft → Meldepflichten).`, `${STEP_TEXT.police.help.en} Federal state not recorded (Readiness → Reporting).`) }
  const z = ZAC_CONTACTS[state]
  const hint = z.phone ? '' : ` ${FEDERAL_STATE_LABEL[state]}`
  return { contact: { name: z.name, phone: z.phone, email: z.email }, help: t(`${STEP_TEXT.police.help.de}${hint ? ` Nummer der ZAC${hint} bitte nachschlagen.` : ''}`, `${STEP_TEXT.police.help.en}${hint ? ` Please look up the number of the ZAC${hint}.` : ''}`) }
}

function intelligenceStep(tx: Tx): NewStep {
  const c = contactsOfKind(tx, 'authority').find((x) => /verfassungsschutz|bfv|lfv/i.test(`${x.name} ${x.organisation}`))
  return { kind: 'intelligence', ...STEP_TEXT.intelligence, contact: c ? { name: c.name, phone: c.phone ?? c.mobile, email: c.email } : null }
}

/** The steps for a new incident, from the records as they are now. */
export function stepsFor(tx: Tx, scenario: IncidentScenario, espionage: boolean): NewStep[] {
  const out: NewStep[] = []
  if (isOneOf(SCENARIOS, scenario)) {
    const s = firstSteps(tx, scenario)
    if (s) s.de.forEach((de, n) => out.push({ kind: 'first-step', title: t(de, s.en[n] ?? de), help: t('', ''), contact: null }))
  }
  out.push({ kind: 'ask-users', ...STEP_TEXT['ask-users'], contact: null })
  const providers = isOneOf(SCENARIOS, scenario) ? providersFor(tx, scenario) : listItems(tx, 'providers').filter((p) => p.incidentResponse).map((p) => ({ ...p, contact: null }))
  for (const p of providers.slice(0, 5))
    out.push({
      kind: 'provider', title: PROVIDER_STEP.title(p.name),
      help: t(`${p.scope} · Reaktionszeit ${p.responseTimeHours} h${p.incidentResponse ? ' · Vorfallsbehandlung' : ''}`, `${p.scope} · response time ${p.responseTimeHours} h${p.incidentResponse ? ' · incident response' : ''}`),
      contact: p.contact ? { name: p.contact.name, phone: p.contact.phone ?? p.contact.mobile, email: p.contact.email } : null,
    })
  if (!providers.length) out.push({ kind: 'provider', title: PROVIDER_STEP.none, help: t('', ''), contact: null })
  out.push({ kind: 'evidence', ...STEP_TEXT.evidence, contact: null })
  const police = policeContact(tx)
  out.push({ kind: 'police', title: STEP_TEXT.police.title, help: police.help, contact: police.contact })
  out.push({ kind: 'acs', ...STEP_TEXT.acs, contact: ACS })
  if (espionage) out.push(intelligenceStep(tx))
  return out
}

export function insertSteps(tx: Tx, incidentId: string, steps: NewStep[]) {
  const last = tx.select({ p: max(incidentSteps.position) }).from(incidentSteps).where(eq(incidentSteps.incidentId, incidentId)).get()?.p ?? -1
  steps.forEach((s, n) =>
    tx.insert(incidentSteps).values({
      id: randomUUID(), incidentId, position: last + 1 + n, kind: s.kind, titleDe: s.title.de, titleEn: s.title.en, helpDe: s.help.de, helpEn: s.help.en, contact: s.contact,
    }).run(),
  )
}

/** Espionage came up later: the Verfassungsschutz step is added (once). */
export function ensureIntelligenceStep(tx: Tx, incidentId: string) {
  const has = tx.select().from(incidentSteps).where(and(eq(incidentSteps.incidentId, incidentId), eq(incidentSteps.kind, 'intelligence'))).get()
  if (!has) insertSteps(tx, incidentId, [intelligenceStep(tx)])
}

/** Ticks a step (done, or not needed with the reason); a second tick records the new outcome in the timeline too. */
export function tickStep(tx: Tx, c: IncidentChange, incidentId: string, stepId: string, outcome: StepOutcome, note: string) {
  const i = getIncident(tx, incidentId)
  if (i.state === 'closed') throw new InputError(t('Der Notfall ist abgeschlossen.', 'The incident is closed.'), '/state', 'conflict')
  const before = tx.select().from(incidentSteps).where(and(eq(incidentSteps.incidentId, incidentId), eq(incidentSteps.id, stepId))).get()
  if (!before) throw new InputError(t(`Kein Schritt ${stepId}.`, `No step ${stepId}.`), '/stepId', 'not-found')
  if (outcome === 'not-needed' && !note.trim())
    throw new InputError(t('Bitte begründen, warum der Schritt nicht nötig ist.', 'Please say why the step is not needed.'), '/note')
  const iso = c.now.toISOString()
  tx.update(incidentSteps).set({ outcome, note, doneAt: iso, doneBy: c.by }).where(eq(incidentSteps.id, stepId)).run()
  const o = STEP_OUTCOME_LABEL[outcome]
  appendEntry(tx, incidentId, {
    author: c.by, kind: 'step',
    text: `${before.titleDe} / ${before.titleEn}: ${o.de} / ${o.en}${note ? ` – ${note}` : ''}`,
    data: { stepId, kind: before.kind, measureId: STEP_MEASURE[before.kind], outcome, note, contact: before.contact },
  }, c.now)
  c.audit({ action: 'incident.step', target: `incident:${incidentId}`, before: { step: stepId, outcome: before.outcome }, after: { step: stepId, outcome, note } })
  c.touched.add(incidentId)
}
