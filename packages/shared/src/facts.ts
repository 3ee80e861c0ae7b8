import Type, { type Static, type TSchema } from 'typebox'
import { FactErrorSchema, IsoDateSchema } from './common.js'
import { AgentTextSchema } from './text.js'

const Nullable = <T extends TSchema>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description: `${description} (null: the OS does not tell)` })
// Every number has both bounds (a report with 1e308 is refused, not stored); the maxima are far above anything an OS
// reports, so a real agent never meets them.
const Str = (description: string, maxLength = 500) => AgentTextSchema(maxLength, { description })
const Int = (description: string, maximum: number) => Type.Integer({ minimum: 0, maximum, description })
/** Bytes, seconds and other counts that could grow large: the largest integer JSON carries exactly. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER
/** What fits into 32 bits unsigned: every OS setting we read (timeouts, counts) is at most this. */
const MAX_U32 = 0xffff_ffff
const Obj = <P extends Record<string, TSchema>>(properties: P, description: string) =>
  Type.Object(properties, { description, additionalProperties: false })

// ── base.patches ────────────────────────────────────────────────────────────────
export const PendingUpdateSchema = Obj(
  {
    name: Str('Package or update title'),
    version: Type.Optional(Str('Version that would be installed')),
    security: Type.Boolean({ description: 'True when the OS marks it as a security update' }),
    source: Type.Optional(Str('Repository, suite, origin or update category it comes from')),
    since: Type.Optional(Nullable(IsoDateSchema, 'Since when it is available')),
  },
  'One pending update',
)
export const PatchesFactSchema = Obj(
  {
    manager: Str('Where the data comes from: apt, dnf, zypper, wua (Windows Update Agent), softwareupdate'),
    pending: Int('Number of pending updates', 1_000_000),
    security: Int('How many of the pending updates are security updates', 1_000_000),
    items: Type.Array(PendingUpdateSchema, { maxItems: 2000, description: 'The pending updates, as far as listed' }),
    oldestPendingSince: Nullable(IsoDateSchema, 'Since when the oldest pending update has been available'),
    lastInstall: Nullable(IsoDateSchema, 'Last successful installation of updates'),
    lastCheck: Nullable(IsoDateSchema, 'Last successful check for updates (refresh of the package lists)'),
    rebootRequired: Nullable(Type.Boolean(), 'An installed update waits for a restart'),
    rebootRequiredSince: Type.Optional(
      Nullable(IsoDateSchema, 'Since when the restart has been pending; filled in by the server from the first report that said so'),
    ),
  },
  'Pending updates and patch state of the operating system',
)
export type PatchesFact = Static<typeof PatchesFactSchema>

// ── base.antimalware ────────────────────────────────────────────────────────────
export const AntimalwareProductSchema = Obj(
  {
    name: Str('Product name, e.g. Microsoft Defender Antivirus, ClamAV'),
    enabled: Nullable(Type.Boolean(), 'The product is switched on'),
    realTime: Nullable(Type.Boolean(), 'Real-time (on-access) protection is on'),
    signatureVersion: Nullable(Str('Version of the signatures'), 'Version of the signatures'),
    signatureUpdated: Nullable(IsoDateSchema, 'When the signatures were last updated'),
    signaturesUpToDate: Type.Optional(
      Nullable(
        Type.Boolean(),
        'The product itself says its signatures are current; for products that do not tell a date, e.g. Windows Security Center',
      ),
    ),
    detail: Type.Optional(Str('Raw state for the admin, e.g. productState 397568 or the daemon state', 1000)),
  },
  'One anti-malware product found on the host',
)
export const AntimalwareFactSchema = Obj(
  { products: Type.Array(AntimalwareProductSchema, { maxItems: 20, description: 'Every product found; empty: none found' }) },
  'Anti-malware products and their state',
)
export type AntimalwareFact = Static<typeof AntimalwareFactSchema>

// ── base.firewall ───────────────────────────────────────────────────────────────
export const InboundPolicySchema = Type.Union([Type.Literal('block'), Type.Literal('allow'), Type.Literal('unknown')], {
  description: 'What happens to inbound connections that no rule matches',
})
export const FirewallProfileSchema = Obj(
  {
    name: Str('Profile or zone: Domain, Private, Public on Windows; the backend name or zone elsewhere'),
    enabled: Nullable(Type.Boolean(), 'The firewall is on for this profile'),
    defaultInbound: InboundPolicySchema,
  },
  'One firewall profile or zone',
)
export const FirewallFactSchema = Obj(
  {
    backend: Str('What was read: windows, socketfilterfw, ufw, firewalld, nftables, iptables, none'),
    profiles: Type.Array(FirewallProfileSchema, { maxItems: 50, description: 'Every profile/zone; empty: no firewall found' }),
  },
  'Host firewall state',
)
export type FirewallFact = Static<typeof FirewallFactSchema>

// ── base.backups ────────────────────────────────────────────────────────────────
export const BackupSourceSchema = Obj(
  {
    kind: Str('restic, borg, timeshift, timemachine, filehistory, wbadmin, folder'),
    location: Str('Repository, destination or folder', 1000),
    lastSuccess: Nullable(IsoDateSchema, 'Time of the newest successful backup; null: none found'),
    count: Type.Optional(Int('Number of snapshots/archives found', MAX_U32)),
    error: Type.Optional(FactErrorSchema.properties.error),
  },
  'One backup source and its newest successful backup',
)
export const BackupsFactSchema = Obj(
  { sources: Type.Array(BackupSourceSchema, { maxItems: 50, description: 'Every backup source configured or detected' }) },
  'Backups and their age',
)
export type BackupsFact = Static<typeof BackupsFactSchema>

// ── base.encryption ─────────────────────────────────────────────────────────────
export const EncryptedVolumeSchema = Obj(
  {
    mount: Str('Mount point or drive letter, e.g. / or C:'),
    device: Type.Optional(Str('Block device or volume id')),
    system: Type.Boolean({ description: 'This volume holds the operating system' }),
    encrypted: Nullable(Type.Boolean(), 'The volume is encrypted'),
    method: Type.Optional(Str('BitLocker, FileVault, LUKS, dm-crypt …')),
    status: Type.Optional(Str('Raw state, e.g. FullyEncrypted, EncryptionInProgress')),
  },
  'One volume and its encryption',
)
export const EncryptionFactSchema = Obj(
  { volumes: Type.Array(EncryptedVolumeSchema, { maxItems: 100, description: 'Volumes looked at, the system volume first' }) },
  'Disk encryption',
)
export type EncryptionFact = Static<typeof EncryptionFactSchema>

// ── base.user-rights ────────────────────────────────────────────────────────────
export const AdminMemberSchema = Obj(
  {
    name: Str('Account or group name'),
    sid: Type.Optional(Str('Windows security identifier')),
    kind: Type.Union([Type.Literal('user'), Type.Literal('group'), Type.Literal('unknown')], { description: 'Member kind' }),
    builtin: Type.Boolean({ description: 'A built-in account (root, the built-in Administrator, Domain Admins)' }),
    dailyUse: Nullable(Type.Boolean(), 'This account is used for daily work (it has logged on interactively / has a home)'),
  },
  'One member of the local administrators group',
)
export const UserRightsFactSchema = Obj(
  {
    group: Str('The group read: S-1-5-32-544, sudo, wheel, admin'),
    members: Type.Array(AdminMemberSchema, { maxItems: 500, description: 'Members with administrative rights' }),
  },
  'Local administrators',
)
export type UserRightsFact = Static<typeof UserRightsFactSchema>

// ── base.passwords ──────────────────────────────────────────────────────────────
export const PasswordsFactSchema = Obj(
  {
    guestEnabled: Nullable(Type.Boolean(), 'The guest account is enabled'),
    defaultAccountsEnabled: Type.Optional(
      Type.Array(Str('Account name'), { maxItems: 100, description: 'Default accounts that are enabled (e.g. the built-in Administrator)' }),
    ),
    accountsWithoutPassword: Nullable(
      Type.Array(Str('Account name'), { maxItems: 500 }),
      'Accounts that can log on without a password',
    ),
    passwordNotRequired: Type.Optional(
      Type.Array(Str('Account name'), {
        maxItems: 500,
        description: 'Enabled accounts allowed to have an empty password (Windows PasswordRequired=false)',
      }),
    ),
    minPasswordLength: Nullable(Type.Integer({ minimum: 0, maximum: 1000 }), 'Minimum password length enforced by the OS'),
    screenLockSeconds: Nullable(Type.Integer({ minimum: 0, maximum: MAX_U32 }), 'Seconds of inactivity until the screen locks; 0: never'),
    localDesktop: Type.Optional(
      Nullable(
        Type.Boolean(),
        'A local graphical login exists (a display manager). false: a machine without a desktop (a server), where a screen lock does not apply',
      ),
    ),
  },
  'Accounts and password policy',
)
export type PasswordsFact = Static<typeof PasswordsFactSchema>

// ── base.segmentation ───────────────────────────────────────────────────────────
export const ListeningServiceSchema = Obj(
  {
    protocol: Type.Union([Type.Literal('tcp'), Type.Literal('udp')], { description: 'Transport protocol' }),
    address: Str('Local address it listens on; 0.0.0.0 / :: mean every interface'),
    port: Type.Integer({ minimum: 0, maximum: 65535, description: 'Local port' }),
    process: Type.Optional(Str('Process name, where readable')),
    risky: Type.Optional(Str('Name of the risky service when the port is a known risk: RDP, SMB, VNC, Telnet, MySQL …')),
  },
  'A service reachable from the network',
)
export const SegmentationFactSchema = Obj(
  { listening: Type.Array(ListeningServiceSchema, { maxItems: 1000, description: 'Services listening on non-loopback addresses' }) },
  'Services exposed to the network',
)
export type SegmentationFact = Static<typeof SegmentationFactSchema>

// ── base.inventory ──────────────────────────────────────────────────────────────
export const InventoryFactSchema = Obj(
  {
    manufacturer: Nullable(Str('Hardware manufacturer'), 'Hardware manufacturer'),
    model: Nullable(Str('Hardware model'), 'Hardware model'),
    serial: Nullable(Str('Serial number'), 'Serial number'),
    cpu: Nullable(Str('CPU brand and model'), 'CPU'),
    cores: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }), 'Logical CPU cores'),
    memoryBytes: Nullable(Type.Integer({ minimum: 0, maximum: MAX_EXACT }), 'Installed memory in bytes'),
    virtual: Nullable(Type.Boolean(), 'The machine is virtual'),
    osName: Str('Name of the operating system'),
    osVersion: Str('Version of the operating system'),
    osBuild: Nullable(Str('Build, with the update build revision on Windows, e.g. 22631.4460'), 'OS build'),
    disks: Type.Array(
      Obj(
        {
          name: Str('Disk name'),
          sizeBytes: Type.Integer({ minimum: 0, maximum: MAX_EXACT, description: 'Size in bytes' }),
          type: Type.Optional(Str('HD, SSD, NVMe …')),
        },
        'A physical disk',
      ),
      { maxItems: 64, description: 'Physical disks' },
    ),
  },
  'Hardware and OS inventory',
)
export type InventoryFact = Static<typeof InventoryFactSchema>

/** Every agent-judged fact: its id is the measure id it serves. */
export const FACT_SCHEMAS = {
  'base.patches': PatchesFactSchema,
  'base.antimalware': AntimalwareFactSchema,
  'base.firewall': FirewallFactSchema,
  'base.backups': BackupsFactSchema,
  'base.encryption': EncryptionFactSchema,
  'base.user-rights': UserRightsFactSchema,
  'base.passwords': PasswordsFactSchema,
  'base.segmentation': SegmentationFactSchema,
  'base.inventory': InventoryFactSchema,
} as const
export type FactId = keyof typeof FACT_SCHEMAS
export const FACT_IDS = Object.keys(FACT_SCHEMAS) as FactId[]

/** A fact slot: the value, or why it could not be read. */
const slot = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, FactErrorSchema]))

export const FactsSchema = Type.Object(
  {
    'base.patches': slot(PatchesFactSchema),
    'base.antimalware': slot(AntimalwareFactSchema),
    'base.firewall': slot(FirewallFactSchema),
    'base.backups': slot(BackupsFactSchema),
    'base.encryption': slot(EncryptionFactSchema),
    'base.user-rights': slot(UserRightsFactSchema),
    'base.passwords': slot(PasswordsFactSchema),
    'base.segmentation': slot(SegmentationFactSchema),
    'base.inventory': slot(InventoryFactSchema),
  },
  {
    additionalProperties: false,
    description:
      'Facts by measure id. A full report carries every slot; a quick report only the facts that changed. ' +
      'A slot left out keeps its last value on the server.',
  },
)
export type Facts = Static<typeof FactsSchema>
export type FactValue<K extends FactId> = Static<(typeof FACT_SCHEMAS)[K]>
