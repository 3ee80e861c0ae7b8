// Records as an admin would enter them, for the readiness API tests.
import { WEEKDAYS, type ContactInput, type Window } from '@lagebild/shared'
import type { Harness } from './helper.js'

export const ALWAYS: Window[] = WEEKDAYS.map((day) => ({ day, from: '00:00', to: '24:00' }))
export const OFFICE: Window[] = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, from: '08:00', to: '18:00' }))

export const person = (name: string, over: Partial<ContactInput> = {}): ContactInput => ({
  kind: 'person', name, organisation: 'Muster GmbH', function: '', phone: '+49 30 1234567', mobile: null, email: null, timeZone: null,
  availability: OFFICE, notes: '', ...over,
})

export type Entry = { id: string; createdAt: string; updatedAt: string } & Record<string, unknown>
export type View = {
  empty: boolean
  measures: { id: string; status: string; severity: string | null; reason: { de: string; en: string } | null; path: string }[]
  records: { kind: string; recorded: boolean; overdue: boolean; lastReviewedAt: string | null; lastReviewedBy: string | null; dueAt: string | null; owner: string; reviewIntervalDays: number }[]
  firstSteps: { measureId: string; done: boolean }[]
  gaps: { from: { day: string; time: string }; to: { day: string; time: string }; hours: number }[]
  card: { card: { version: string; firstContact: { name: string; phone: string | null } | null }; reachable: boolean; distribution: { total: number; current: number } }
}

/** Adds a contact and returns its id. */
export async function addContact(h: Harness, c: ContactInput): Promise<string> {
  const r = await h.api<Entry>('POST', '/api/v1/readiness/contacts', c)
  if (r.status !== 201) throw new Error(`contact ${c.name}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.id
}

export async function setRoles(h: Harness, firstContact: string | null, deputy: string | null) {
  const ids = (x: string | null) => (x ? [x] : [])
  const r = await h.api('PUT', '/api/v1/readiness/roles', {
    assignments: [
      { role: 'first-contact', holderId: firstContact, deputyIds: ids(deputy) },
      { role: 'security-officer', holderId: deputy, deputyIds: ids(firstContact) },
      { role: 'emergency-manager', holderId: firstContact, deputyIds: ids(deputy) },
    ],
  })
  if (r.status !== 200) throw new Error(`roles: ${r.status} ${JSON.stringify(r.body)}`)
}

export const view = async (h: Harness) => (await h.api<View>('GET', '/api/v1/readiness')).body
export const measure = async (h: Harness, id: string) => (await view(h)).measures.find((m) => m.id === id)!
