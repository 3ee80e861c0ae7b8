// The audit log: every admin action, and the check of its hash chain.
import Type, { type Static } from 'typebox'
import { AUDIT_VIA } from '../db/schema.js'
import { Nullable, SearchTextSchema } from './common.js'

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'When (UTC)' }),
  actor: Type.String({ description: 'User name, api-key:NAME, the OS user of a CLI command, enroll-token:ID, or system' }),
  via: Type.Enum(AUDIT_VIA, { description: 'session, api-key, cli or system' }),
  ip: Nullable(Type.String(), 'Client address of the request'),
  action: Type.String({ description: 'What was done, e.g. host.update' }),
  target: Nullable(Type.String(), 'What it was done to, kind:id'),
  before: Type.Unknown({ description: 'State before (secrets left out)' }),
  after: Type.Unknown({ description: 'State after (secrets left out)' }),
  hash: Type.String({ description: "SHA-256 over the previous entry's hash and this entry" }),
})
export type AuditEntry = Static<typeof AuditEntrySchema>

export const AuditQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'How many (default 100)' })),
    before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Only entries older than this id (next page)' })),
    action: Type.Optional(SearchTextSchema(100, { minLength: 1, description: 'Action or its beginning, e.g. token. or post /api/v1/alerts' })),
    target: Type.Optional(SearchTextSchema(200, { description: 'Exactly this target, e.g. host:ID' })),
  },
  { additionalProperties: false },
)

export const AuditListSchema = Type.Object({ entries: Type.Array(AuditEntrySchema) })
export type AuditList = Static<typeof AuditListSchema>

export const AuditCheckSchema = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer({ description: 'Entries checked' }),
  brokenAt: Type.Optional(Type.Integer({ description: 'First entry that does not fit' })),
  reason: Type.Optional(Type.String()),
})
export type AuditCheck = Static<typeof AuditCheckSchema>
