// The network plan (base.inventory, record part): one uploaded file, its type decided by its content (magic bytes via
// file-type), never by its name or the declared type; kept in the database and served only as a download.
import { createHash, randomUUID } from 'node:crypto'
import { fileTypeFromBuffer } from 'file-type'
import { NETWORK_PLAN_MAX_BYTES, NETWORK_PLAN_TYPES, type NetworkPlanType } from '@lagebild/shared'
import { networkPlans } from '../../db/schema.js'
import type { Db } from '../../db/index.js'
import type { Tx } from '../judge.js'
import { InputError } from '../../errors.js'
import { touchMeta } from './store.js'
import type { PlanInfo } from '../../schemas/readiness.js'
import type { Change } from './records.js'

const EXT: Record<NetworkPlanType, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' }

/** The file's real type, when it is one we keep. */
export async function planType(data: Buffer): Promise<NetworkPlanType> {
  if (!data.length) throw new InputError({ de: 'Die Datei ist leer.', en: 'The file is empty.' })
  if (data.length > NETWORK_PLAN_MAX_BYTES) throw tooLarge()
  const found = await fileTypeFromBuffer(data)
  const mime = found?.mime as NetworkPlanType | undefined
  if (!mime || !NETWORK_PLAN_TYPES.includes(mime))
    throw new InputError({
      de: `Dateityp ${found?.mime ?? 'unbekannt'} nicht erlaubt: nur PDF, PNG, JPEG oder WebP (geprüft am Inhalt, nicht am Namen).`,
      en: `File type ${found?.mime ?? 'unknown'} not allowed: only PDF, PNG, JPEG or WebP (checked by content, not by name).`,
    })
  return mime
}

export const tooLarge = () =>
  new InputError({ de: `Die Datei ist zu groß: höchstens ${NETWORK_PLAN_MAX_BYTES / 1024 / 1024} MiB.`, en: `The file is too large: at most ${NETWORK_PLAN_MAX_BYTES / 1024 / 1024} MiB.` }, '/', 'too-large')

/** A file name safe to keep and to send back in a header: no paths, no control characters, at most 120 characters. */
export function cleanName(raw: string | undefined, mime: NetworkPlanType): string {
  // Control characters (\p{Cc}) would break the header; the rest are not allowed in file names on Windows.
  const base = (raw ?? '').split(/[\\/]/).pop()!.replace(/[\p{Cc}"<>|:*?]/gu, '').trim().slice(0, 120)
  return base || `netzplan.${EXT[mime]}`
}


export function planInfo(db: Pick<Db, 'select'>): PlanInfo | null {
  const r = db.select().from(networkPlans).get()
  if (!r) return null
  const { data: _data, id: _id, ...info } = r
  return info
}

export const planFile = (db: Pick<Db, 'select'>) => db.select().from(networkPlans).get() ?? null

/** Replaces the plan (its type already checked by planType). */
export function savePlan(tx: Tx, c: Change, data: Buffer, mime: NetworkPlanType, name: string): PlanInfo {
  const before = planInfo(tx)
  tx.delete(networkPlans).run()
  const info: PlanInfo = { name, mime, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), uploadedAt: c.now.toISOString(), uploadedBy: c.by }
  tx.insert(networkPlans).values({ id: randomUUID(), ...info, data }).run()
  touchMeta(tx, 'network-plan', c.by, c.now)
  c.audit({ action: 'readiness.network-plan.upload', target: 'network-plan', before, after: info })
  return info
}

export function removePlan(tx: Tx, c: Change) {
  const before = planInfo(tx)
  if (!before) throw new InputError({ de: 'Es ist kein Netzplan hinterlegt.', en: 'There is no network plan.' }, '/', 'not-found')
  tx.delete(networkPlans).run()
  touchMeta(tx, 'network-plan', c.by, c.now)
  c.audit({ action: 'readiness.network-plan.delete', target: 'network-plan', before, after: null })
}

/** Content-Disposition for a download: an ASCII fallback and the exact name (RFC 6266 / 5987). */
export const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`
