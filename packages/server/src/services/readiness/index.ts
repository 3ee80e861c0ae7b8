// What other parts of the server (incidents, issue #10) use of the readiness records: read-only, plain data.
// Changes go through `fastify.readiness.change(req, (tx, c) => saveEntry(…))` so they are audited and judged.
import {
  firstContactPeople, reportingClocks, type ContactInput, type ContactKind, type Entry, type ProviderInput, type ReportingClock, type Scenario,
} from '@lagebild/shared'
import type { Db } from '../../db/index.js'
import { loadReadinessInput } from './input.js'
import { getCompany, getDoc, listItems } from './store.js'

type Reader = Pick<Db, 'select' | 'all'>
type Contact = Entry<ContactInput>

/** The alerting chain of the emergency plan, in order, with the contacts resolved (a removed contact is skipped). */
export function alertingChain(db: Reader): { contact: Contact; note: string }[] {
  const contacts = new Map(listItems(db, 'contacts').map((c) => [c.id, c]))
  return (getDoc(db, 'plan')?.alertingChain ?? []).flatMap((s) => (contacts.has(s.contactId) ? [{ contact: contacts.get(s.contactId)!, note: s.note }] : []))
}

/** The first steps of a scenario in the plan (one per line), or null when the plan was never saved. */
export function firstSteps(db: Reader, scenario: Scenario): { de: string[]; en: string[] } | null {
  const s = getDoc(db, 'plan')?.scenarios[scenario]
  return s ? { de: s.de.split('\n').filter((x) => x.trim()), en: s.en.split('\n').filter((x) => x.trim()) } : null
}

/** Providers that agreed to help with a scenario, incident-response providers first, fastest response first. */
export function providersFor(db: Reader, scenario: Scenario): (Entry<ProviderInput> & { contact: Contact | null })[] {
  const contacts = new Map(listItems(db, 'contacts').map((c) => [c.id, c]))
  return listItems(db, 'providers')
    .filter((p) => p.supports.includes(scenario) || p.incidentResponse)
    .sort((a, b) => Number(b.incidentResponse) - Number(a.incidentResponse) || a.responseTimeHours - b.responseTimeHours)
    .map((p) => ({ ...p, contact: p.contactId ? (contacts.get(p.contactId) ?? null) : null }))
}

export const contactsOfKind = (db: Reader, kind: ContactKind): Contact[] => listItems(db, 'contacts').filter((c) => c.kind === kind)

/** The deadline clocks that start when an incident becomes known, and the authorities to report to. */
export function obligations(db: Reader): { clocks: ReportingClock[]; federalState: string | null; authorities: Contact[] } {
  return {
    clocks: reportingClocks(getDoc(db, 'reporting')),
    federalState: getCompany(db).federalState,
    authorities: listItems(db, 'contacts').filter((c) => c.kind === 'data-protection-authority' || c.kind === 'police' || c.kind === 'authority'),
  }
}

/** The first contact, the deputies and the providers on standby. */
export const firstContact = (db: Reader, now = new Date()) => firstContactPeople(loadReadinessInput(db, now))
