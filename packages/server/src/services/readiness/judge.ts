// Judges the organisation inside the transaction that changed a record (or on the clock): records → the pure
// evaluateReadiness → findings of subject `org` in the same table, with history and the same alert listeners as hosts.
import { eq } from 'drizzle-orm'
import { evaluateReadiness, type Card, type Finding, type ReadinessInput, type ReadinessResult } from '@lagebild/shared'
import { findings } from '../../db/schema.js'
import { storeFindings, type FindingChange, type FindingListener, type Tx } from '../judge.js'
import { ORG_SUBJECT } from '../overview.js'
import { loadReadinessInput } from './input.js'
import { currentCard, rememberCard } from './card.js'

export interface OrgJudgement {
  input: ReadinessInput
  result: ReadinessResult
  changes: FindingChange[]
  card: Card
  /** The card's content changed: push it to the agents after COMMIT. */
  cardChanged: boolean
}

export function judgeOrg(tx: Tx, now: Date, listeners: readonly FindingListener[], publicUrl: string | null): OrgJudgement {
  const input = loadReadinessInput(tx, now)
  const result = evaluateReadiness(input, now)
  const list: Finding[] = [...result.findings]
  // A measure judged before whose record is gone now (e.g. the device count removed) becomes unknown — never ok, and an
  // open alert stays open with a note.
  const before = new Set(tx.select({ m: findings.measureId }).from(findings).where(eq(findings.subjectId, ORG_SUBJECT)).all().map((r) => r.m))
  for (const m of result.notRecorded)
    if (before.has(m))
      list.push({ measureId: m, status: 'unknown', severity: 'low', reason: { de: 'Keine Angaben mehr vorhanden.', en: 'Nothing recorded any more.' } })
  const changes = storeFindings(tx, ORG_SUBJECT, list, now)
  for (const l of listeners) l(tx, changes, now, ORG_SUBJECT)
  const card = currentCard(tx, input, publicUrl, now)
  const cardChanged = rememberCard(tx, card)
  return { input, result, changes, card, cardChanged }
}
