// What the schemas cannot say about a record: windows that end before they start or overlap, references to contacts
// and hosts that exist, dates of past events that are not in the future. Each failure is an InputError (400) with the
// reason in German and English and the path of the field; nothing is stored.
import { inArray } from 'drizzle-orm'
import {
  windowProblem, isTimeZone,
  type CompanySettings, type RecordDoc, type RecordDocKind, type RecordListInput, type RecordListKind, type Window,
} from '@lagebild/shared'
import { hosts } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import { InputError } from '../../errors.js'
import { getDoc, listItems } from './store.js'

type Reader = Pick<Db, 'select'>
const t = (de: string, en: string) => ({ de, en })

function zone(z: string | null, path: string) {
  if (z !== null && !isTimeZone(z)) throw new InputError(t(`Unbekannte Zeitzone: ${z}.`, `Unknown time zone: ${z}.`), path)
}

function windows(list: readonly Window[], path: string) {
  const problem = windowProblem(list)
  if (problem) throw new InputError(problem, path)
}

function contactExists(db: Reader, id: string | null, path: string) {
  if (id === null) return
  if (!listItems(db, 'contacts').some((c) => c.id === id)) throw new InputError(t(`Unbekannter Kontakt: ${id}.`, `Unknown contact: ${id}.`), path)
}

function unique(list: readonly string[], path: string, what: { de: string; en: string }) {
  const dup = list.find((x, i) => list.indexOf(x) !== i)
  if (dup !== undefined) throw new InputError(t(`${what.de} doppelt: ${dup}.`, `${what.en} twice: ${dup}.`), path)
}

/** A past event (an exercise, a test) cannot lie in the future; one day of slack for time zones. */
function past(day: string, path: string, now: Date) {
  if (Date.parse(`${day}T00:00:00Z`) > now.getTime() + 86_400_000)
    throw new InputError(t(`${day} liegt in der Zukunft; eingetragen wird, was stattgefunden hat.`, `${day} lies in the future; record what has taken place.`), path)
}

export function checkItem<K extends RecordListKind>(db: Reader, kind: K, data: RecordListInput<K>, now: Date) {
  switch (kind) {
    case 'contacts': {
      const c = data as RecordListInput<'contacts'>
      if (!c.phone && !c.mobile && !c.email)
        throw new InputError(t('Ein Kontakt braucht eine Telefonnummer oder eine E-Mail-Adresse.', 'A contact needs a phone number or an e-mail address.'), '/phone')
      windows(c.availability, '/availability')
      zone(c.timeZone, '/timeZone')
      return
    }
    case 'providers': {
      const p = data as RecordListInput<'providers'>
      contactExists(db, p.contactId, '/contactId')
      unique(p.supports, '/supports', t('Szenario', 'Scenario'))
      return
    }
    case 'crown-jewels': {
      const j = data as RecordListInput<'crown-jewels'>
      unique(j.hostIds, '/hostIds', t('Rechner', 'Host'))
      const known = j.hostIds.length ? new Set(db.select({ id: hosts.id }).from(hosts).where(inArray(hosts.id, j.hostIds)).all().map((h) => h.id)) : new Set()
      const missing = j.hostIds.find((id) => !known.has(id))
      if (missing) throw new InputError(t(`Unbekannter Rechner: ${missing}.`, `Unknown host: ${missing}.`), '/hostIds')
      return
    }
    case 'pentests': {
      const p = data as RecordListInput<'pentests'>
      past(p.date, '/date', now)
      p.findings.forEach((f, i) => {
        if (f.fixedOn === null) return
        past(f.fixedOn, `/findings/${i}/fixedOn`, now)
        if (f.fixedOn < p.date) throw new InputError(t(`Befund „${f.title}“: behoben vor dem Test?`, `Finding "${f.title}": fixed before the test?`), `/findings/${i}/fixedOn`)
      })
      return
    }
    case 'two-factor':
      return past((data as RecordListInput<'two-factor'>).checkedOn, '/checkedOn', now)
    default:
      return past((data as { date: string }).date, '/date', now)
  }
}

export function checkDoc<K extends RecordDocKind>(db: Reader, kind: K, data: RecordDoc<K>) {
  if (kind === 'roles') {
    const r = data as RecordDoc<'roles'>
    unique(r.assignments.map((a) => a.role), '/assignments', t('Rolle', 'Role'))
    r.assignments.forEach((a, i) => {
      contactExists(db, a.holderId, `/assignments/${i}/holderId`)
      a.deputyIds.forEach((id, j) => contactExists(db, id, `/assignments/${i}/deputyIds/${j}`))
      unique(a.deputyIds, `/assignments/${i}/deputyIds`, t('Vertretung', 'Deputy'))
      if (a.holderId && a.deputyIds.includes(a.holderId))
        throw new InputError(t('Niemand kann sich selbst vertreten.', 'Nobody can be their own deputy.'), `/assignments/${i}/deputyIds`)
    })
  } else if (kind === 'plan') {
    const p = data as RecordDoc<'plan'>
    p.alertingChain.forEach((s, i) => contactExists(db, s.contactId, `/alertingChain/${i}/contactId`))
    unique(p.alertingChain.map((s) => s.contactId), '/alertingChain', t('Kontakt in der Alarmierungskette', 'Contact in the alerting chain'))
  } else if (kind === 'communication') {
    contactExists(db, (data as RecordDoc<'communication'>).spokespersonId, '/spokespersonId')
  }
}

export function checkCompany(c: CompanySettings) {
  windows(c.requiredCoverage, '/requiredCoverage')
  zone(c.timeZone, '/timeZone')
}

/** Where a contact is used; a contact in use cannot be deleted (the role would silently fall empty). */
export function contactUsages(db: Reader, id: string): string[] {
  const out: string[] = []
  for (const a of getDoc(db, 'roles')?.assignments ?? [])
    if (a.holderId === id || a.deputyIds.includes(id)) out.push(`role:${a.role}`)
  for (const p of listItems(db, 'providers')) if (p.contactId === id) out.push(`provider:${p.name}`)
  if (getDoc(db, 'plan')?.alertingChain.some((s) => s.contactId === id)) out.push('plan:alerting-chain')
  if (getDoc(db, 'communication')?.spokespersonId === id) out.push('communication:spokesperson')
  return out
}

