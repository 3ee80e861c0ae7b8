// The IT emergency card ("Verhalten bei IT-Notfällen"): built from the records, the same data for the board's print
// page, the PDF, and every agent (pushed over the live channel, kept on disk for when the server is gone).
import Type, { type Static } from 'typebox'
import { TextSchema, type Language } from './common.js'
import { describeGaps, describeWindows } from './coverage.js'
import { firstContactGaps, firstContactPeople } from './judge-organisation.js'
import type { ContactInput, Entry } from './readiness.js'
import type { ReadinessInput } from './readiness-input.js'
import { CARD_QUESTIONS, CARD_RULES, CARD_TEXT } from './readiness-texts.js'

const Str = (maxLength: number) => Type.String({ maxLength })
export const CardPersonSchema = Type.Object(
  {
    name: Str(120),
    role: Str(160),
    phone: Type.Union([Str(40), Type.Null()]),
    mobile: Type.Union([Str(40), Type.Null()]),
    email: Type.Union([Str(254), Type.Null()]),
    hours: TextSchema,
  },
  { additionalProperties: false, description: 'Somebody to call, with the hours they can be reached' },
)
export type CardPerson = Static<typeof CardPersonSchema>

export const CardSchema = Type.Object(
  {
    version: Type.String({ maxLength: 64, description: 'Changes whenever the content changes (SHA-256 of it)' }),
    generatedAt: Type.String({ maxLength: 40 }),
    company: Str(120),
    firstContact: Type.Union([CardPersonSchema, Type.Null()]),
    deputies: Type.Array(CardPersonSchema, { maxItems: 5 }),
    standby: Type.Array(CardPersonSchema, { maxItems: 20, description: 'Providers on standby outside the first contact\'s hours' }),
    gaps: Type.Union([TextSchema, Type.Null()], { description: 'Hours when nobody of these can be reached' }),
    reportUrl: Type.Union([Str(500), Type.Null()], { description: 'Where to report online (the QR code)' }),
  },
  { additionalProperties: false, description: 'The IT emergency card' },
)
export type Card = Static<typeof CardSchema>
export type CardContent = Omit<Card, 'version' | 'generatedAt'>

function person(c: Entry<ContactInput>, role: string): CardPerson {
  const zone = c.timeZone ? ` (${c.timeZone})` : ''
  return {
    name: c.name, role, phone: c.phone, mobile: c.mobile, email: c.email,
    hours: { de: describeWindows(c.availability, 'de') + zone, en: describeWindows(c.availability, 'en') + zone },
  }
}

/** The card's content from the records (version and date are added by whoever stores it). */
export function buildCard(input: ReadinessInput, reportUrl: string | null, now: Date): CardContent {
  const p = firstContactPeople(input)
  const gaps = p.holder ? firstContactGaps(input, now) : []
  return {
    company: input.company.name,
    firstContact: p.holder ? person(p.holder, p.holder.function) : null,
    deputies: p.deputies.slice(0, 5).map((c) => person(c, c.function)),
    standby: p.standby.slice(0, 20).map((s) => person(s.contact, s.provider)),
    gaps: gaps.length ? describeGaps(gaps) : null,
    reportUrl,
  }
}

/** A card with nobody to call, or nobody with a phone, does not do its job. */
export const cardReachable = (card: Pick<Card, 'firstContact'>) => !!card.firstContact && !!(card.firstContact.phone || card.firstContact.mobile)

/** The card as plain text, for a terminal (`lagebild-agent card`). */
export function cardText(card: Card, lang: Language): string {
  const L = (x: { de: string; en: string }) => x[lang]
  const out: string[] = []
  const rule = '='.repeat(64)
  out.push(rule, `${L(CARD_TEXT.title).toUpperCase()}${card.company ? ` — ${card.company}` : ''}`, L(CARD_TEXT.motto), rule, '')
  const line = (label: string, p: CardPerson) => {
    out.push(`${label}: ${p.name}${p.role ? ` (${p.role})` : ''}`)
    for (const n of [p.phone, p.mobile].filter(Boolean)) out.push(`    ☎ ${n}`)
    if (p.email) out.push(`    ✉ ${p.email}`)
    out.push(`    ${p.hours[lang]}`)
  }
  if (card.firstContact) {
    out.push(L(CARD_TEXT.call))
    line(L(CARD_TEXT.firstContact), card.firstContact)
    for (const d of card.deputies) line(L(CARD_TEXT.deputy), d)
    for (const s of card.standby) line(L(CARD_TEXT.standby), s)
    if (card.gaps) out.push(`${L(CARD_TEXT.gaps)}: ${card.gaps[lang]}`)
  } else out.push(L(CARD_TEXT.noContact))
  out.push('', `${L(CARD_TEXT.rules)}:`, ...CARD_RULES.map((r, i) => `  ${i + 1}. ${L(r)}`))
  out.push('', `${L(CARD_TEXT.questions)}:`, ...CARD_QUESTIONS.map((q) => `  • ${L(q)}`))
  if (card.reportUrl) out.push('', `${L(CARD_TEXT.report)}: ${card.reportUrl}`)
  out.push('', `${L(CARD_TEXT.asOf)} ${card.generatedAt.slice(0, 10)} · ${L(CARD_TEXT.source)}`)
  return out.join('\n')
}
