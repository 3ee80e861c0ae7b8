import Type, { type Static } from 'typebox'
import { IsoDateSchema, oneOf } from './common.js'
import { FactsSchema } from './facts.js'
import { HostnameSchema, NameSchema } from './text.js'
import { ENROLL_WAIT_STATES } from './access.js'

export const OS_FAMILIES = ['windows', 'macos', 'linux'] as const
export const OsFamilySchema = oneOf(OS_FAMILIES, { description: 'Operating system family' })
export type OsFamily = Static<typeof OsFamilySchema>
/** How each family is written for people (the same in German and English). */
export const OS_FAMILY_NAMES: Record<OsFamily, string> = { windows: 'Windows', macos: 'macOS', linux: 'Linux' }

export const REPORT_KINDS = ['full', 'quick'] as const

// Names the board and every notification show: one line of visible text each (see NameSchema), bounded in length.
// 253 is the longest DNS name; the rest are far above what any OS reports.
export const HostIdentitySchema = Type.Object(
  {
    machineId: NameSchema(200, { minLength: 8, description: 'Stable machine id (/etc/machine-id, MachineGuid, IOPlatformUUID), at least 8 characters' }),
    hostname: HostnameSchema({ description: 'Host name: one line, no control or format characters (bidi overrides, zero-width), none of \\ / : * ? " < > |, at most 253 characters' }),
    os: Type.Object(
      {
        family: OsFamilySchema,
        distribution: NameSchema(200, { description: 'Distribution or product, e.g. Debian GNU/Linux, Windows 11 Pro, macOS' }, false),
        version: NameSchema(100, { description: 'Version, e.g. 12, 23H2, 14.5' }, false),
        build: Type.Union([NameSchema(100, {}, false), Type.Null()], { description: 'Build number (with UBR on Windows); null if none' }),
      },
      { additionalProperties: false, description: 'Operating system' },
    ),
    kernel: NameSchema(200, { description: 'Kernel release' }, false),
    arch: NameSchema(50, { description: 'CPU architecture, e.g. x64, arm64' }, false),
    agentVersion: NameSchema(50, { description: 'Version of the Lagebild agent' }, false),
    bootTime: Type.Union([IsoDateSchema, Type.Null()], { description: 'When the host was last started' }),
  },
  { additionalProperties: false, description: 'Who the host is' },
)
export type HostIdentity = Static<typeof HostIdentitySchema>

export const ReportSchema = Type.Object(
  {
    v: Type.Literal(1, { description: 'Report format version' }),
    id: Type.String({ format: 'uuid', maxLength: 36, description: 'Unique report id; a report sent twice is stored once' }),
    kind: oneOf(REPORT_KINDS, { description: 'full: every fact was collected; quick: only the facts that changed since the last report' }),
    collectedAt: IsoDateSchema,
    host: HostIdentitySchema,
    facts: FactsSchema,
  },
  { additionalProperties: false, description: 'A report from an agent about its host (v1)' },
)
export type Report = Static<typeof ReportSchema>

export const EnrollRequestSchema = Type.Object(
  {
    token: Type.String({ minLength: 10, maxLength: 200, pattern: '^[\\x21-\\x7e]+$', description: 'Enrollment token created by the admin' }),
    host: HostIdentitySchema,
    approvalKey: Type.Optional(
      Type.String({
        minLength: 32,
        maxLength: 100,
        pattern: '^[A-Za-z0-9_-]{32,100}$',
        description:
          'A random key of this enrollment attempt, the same on every retry. When the PC is enrolled already, the server records a ' +
          'request for an admin to allow on the board, and only the sender of this key may use the approval. Without it: refused at once.',
      }),
    ),
  },
  { additionalProperties: false, description: 'An agent asks to be enrolled' },
)
export type EnrollRequest = Static<typeof EnrollRequestSchema>

/** Where a PC that is enrolled already stands with its request (the `approval` of a 409 machine-enrolled). */
export const EnrollApprovalSchema = Type.Object(
  {
    state: oneOf(ENROLL_WAIT_STATES, { description: 'pending: an admin has not decided yet; refused: an admin refused on the board' }),
    requestId: Type.String(),
    hostId: Type.String(),
    hostname: Type.String({ description: 'The name the PC is enrolled under' }),
    url: Type.String({ description: 'The host page on the board, where an admin allows or refuses' }),
    expiresAt: IsoDateSchema,
  },
  { additionalProperties: false },
)
export type EnrollApproval = Static<typeof EnrollApprovalSchema>

/** A refused enrollment: the error body, and for a PC that is enrolled already the state of its request. */
export const EnrollRefusedSchema = Type.Object(
  {
    error: Type.String({ description: 'bad-token, token-expired, token-used-up, machine-enrolled' }),
    message: Type.String(),
    approval: Type.Optional(EnrollApprovalSchema),
  },
  { description: 'Enrollment refused' },
)
export type EnrollRefused = Static<typeof EnrollRefusedSchema>

export const EnrollResponseSchema = Type.Object(
  {
    agentId: Type.String({ description: 'The agent id, used as user name' }),
    secret: Type.String({ description: 'The agent secret; shown once, stored only hashed on the server' }),
    hostId: Type.String({ description: 'The host this agent reports for' }),
  },
  { additionalProperties: false, description: 'Credentials for the new agent' },
)
export type EnrollResponse = Static<typeof EnrollResponseSchema>

export const ReportAckSchema = Type.Object(
  {
    reportId: Type.String({ description: 'The report id' }),
    duplicate: Type.Boolean({ description: 'The report had been stored before; nothing changed' }),
  },
  { additionalProperties: false, description: 'The report is committed' },
)
export type ReportAck = Static<typeof ReportAckSchema>
