// The one description of the tables. Migrations are generated from it by drizzle-kit (pnpm --filter @lagebild/server run db:generate),
// committed under ../../drizzle, append-only, and applied at start.
import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import {
  ALERT_EVENT_KINDS, ALERT_KINDS, ALERT_STATES, FINDING_STATUSES, HOST_STATUSES, LANGUAGES, NOTIFY_EVENT_KINDS, OS_FAMILIES, REPORT_KINDS, ROLES,
  REVOKE_REASONS, SEVERITIES, ENROLL_REQUEST_STATES, THRESHOLD_SCOPES, NETWORK_PLAN_TYPES, RECORD_DOC_KINDS, RECORD_KINDS, RECORD_LIST_KINDS,
  CLOCK_STAGES, CLOCK_STATES, EVIDENCE_ITEMS, EVIDENCE_STATES, INCIDENT_SCENARIOS, INCIDENT_SOURCES, INCIDENT_STATES, REPORTING_CLOCKS, STEP_KINDS,
  STEP_OUTCOMES, TASK_STATES, TIMELINE_KINDS, USER_REPORT_VIA,
} from '@lagebild/shared'
import type { ChannelType } from '../channels/index.js'

// Every `enum:` list comes from @lagebild/shared (or the channel registry): SQLite keeps text, drizzle types it.

const createdAt = () => text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ROLES }).notNull(),
  createdAt: createdAt(),
  /** Revoked by an admin: cannot log in, sessions ended. The row stays so the name in the audit log keeps its meaning. */
  disabledAt: text('disabled_at'),
  /** Null until the first login (start-up reminds that the first admin's password has not been used yet). */
  lastLoginAt: text('last_login_at'),
})

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the session cookie value; the value itself is never stored. */
    idHash: text('id_hash').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: text('last_used_at'),
  revokedAt: text('revoked_at'),
  /** Who created it (audit actor name), shown in the list of who holds access. */
  createdBy: text('created_by'),
})

export const enrollTokens = sqliteTable('enroll_tokens', {
  id: text('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  expiresAt: text('expires_at'),
  maxUses: integer('max_uses'),
  uses: integer('uses').notNull().default(0),
  revokedAt: text('revoked_at'),
  /** Tags given to every host enrolled with this token (JSON array). */
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  /** May enroll a PC that is already enrolled with an active agent, revoking that agent (reinstall). Short-lived by rule. */
  mayReplace: integer('may_replace', { mode: 'boolean' }).notNull().default(false),
  createdBy: text('created_by'),
})

export const hosts = sqliteTable('hosts', {
  id: text('id').primaryKey(),
  machineId: text('machine_id').notNull().unique(),
  hostname: text('hostname').notNull(),
  osFamily: text('os_family', { enum: OS_FAMILIES }).notNull(),
  osDistribution: text('os_distribution').notNull(),
  osVersion: text('os_version').notNull(),
  osBuild: text('os_build'),
  kernel: text('kernel').notNull(),
  arch: text('arch').notNull(),
  agentVersion: text('agent_version').notNull(),
  bootTime: text('boot_time'),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Crown jewels get stricter judgement and sort first. */
  crownJewel: integer('crown_jewel', { mode: 'boolean' }).notNull().default(false),
  /** No alerts while in maintenance. */
  maintenanceUntil: text('maintenance_until'),
  createdAt: createdAt(),
  lastReportAt: text('last_report_at'),
  /** Worst finding status of the host, kept for fast lists: deviation > unknown > ok. */
  status: text('status', { enum: HOST_STATUSES }).notNull().default('unknown'),
  /** Retired by an admin (history kept): no agent may report, not judged, not in lists or counts. */
  retiredAt: text('retired_at'),
  /** collectedAt of the report whose identity (host name, OS …) the row shows: an older report never overwrites it. */
  identityAt: text('identity_at'),
}, (t) => [
  // Hosts that report the same name are shown as duplicates: looked up case-insensitively.
  index('hosts_name_idx').on(sql`lower(${t.hostname})`),
])

export const agents = sqliteTable(
  'agents',
  {
    id: text('id').primaryKey(),
    hostId: text('host_id').notNull().references(() => hosts.id, { onDelete: 'cascade' }),
    secretHash: text('secret_hash').notNull(),
    createdAt: createdAt(),
    lastSeenAt: text('last_seen_at'),
    revokedAt: text('revoked_at'),
    /** Why: told to the agent when it tries again (agent-revoked, host-retired, agent-replaced). */
    revokedReason: text('revoked_reason', { enum: REVOKE_REASONS }),
  },
  (t) => [index('agents_host_idx').on(t.hostId)],
)

/**
 * A PC that is enrolled already asked to enroll again with an ordinary token (docs/architecture.md, the re-enroll rule):
 * an admin allows or refuses it on the host page. An approval lets exactly the sender of the request's key, with that
 * token and machine id, enroll once, and only while the agent it would replace is still the host's active one.
 */
export const enrollRequests = sqliteTable(
  'enroll_requests',
  {
    id: text('id').primaryKey(),
    hostId: text('host_id').notNull().references(() => hosts.id, { onDelete: 'cascade' }),
    tokenId: text('token_id').notNull().references(() => enrollTokens.id, { onDelete: 'cascade' }),
    machineId: text('machine_id').notNull(),
    /** SHA-256 of the approval key the asking agent sent (the key itself is never stored). */
    keyHash: text('key_hash').notNull(),
    /** The active agent when the PC asked: an approval is void once another agent reports for the host. */
    replacesAgentId: text('replaces_agent_id').notNull(),
    /** As the asking PC reported them (bounded by the enroll schema); shown to the admin who decides. */
    hostname: text('hostname').notNull(),
    osName: text('os_name').notNull(),
    ip: text('ip'),
    createdAt: text('created_at').notNull(),
    /** The asking agent's latest retry (it asks again every few seconds while it waits). */
    lastSeenAt: text('last_seen_at').notNull(),
    /** Pending: until a decision is due; approved: until the PC must have come back. */
    expiresAt: text('expires_at').notNull(),
    state: text('state', { enum: ENROLL_REQUEST_STATES }).notNull().default('pending'),
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
    usedAt: text('used_at'),
    /** The agent enrolled with the approval. */
    agentId: text('agent_id'),
  },
  (t) => [index('enroll_requests_host_idx').on(t.hostId), index('enroll_requests_expires_idx').on(t.expiresAt)],
)

export const reports = sqliteTable(
  'reports',
  {
    id: text('id').primaryKey(),
    hostId: text('host_id').notNull().references(() => hosts.id, { onDelete: 'cascade' }),
    agentId: text('agent_id').notNull(),
    kind: text('kind', { enum: REPORT_KINDS }).notNull(),
    collectedAt: text('collected_at').notNull(),
    receivedAt: text('received_at').notNull(),
    /**
     * The report as received (JSON). Null when none of its facts differed from those already stored for the host and the
     * host already has a report with a body on that day (UTC): what it said is then in an earlier body of the same day.
     * Most reports change nothing; writing 17 KB for each was most of the disk traffic (issue #13).
     */
    body: text('body'),
  },
  (t) => [index('reports_host_idx').on(t.hostId, t.receivedAt)],
)

/** The latest value of each fact per host: a quick report updates only what it carries. */
export const facts = sqliteTable(
  'facts',
  {
    hostId: text('host_id').notNull().references(() => hosts.id, { onDelete: 'cascade' }),
    factId: text('fact_id').notNull(),
    value: text('value').notNull(),
    collectedAt: text('collected_at').notNull(),
    reportId: text('report_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hostId, t.factId] })],
)

/** Current judgement per subject (a host id, or 'org' for the organisation) × measure. */
export const findings = sqliteTable(
  'findings',
  {
    subjectId: text('subject_id').notNull(),
    measureId: text('measure_id').notNull(),
    status: text('status', { enum: FINDING_STATUSES }).notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    reasonDe: text('reason_de').notNull(),
    reasonEn: text('reason_en').notNull(),
    fixDe: text('fix_de'),
    fixEn: text('fix_en'),
    since: text('since').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.subjectId, t.measureId] }), index('findings_measure_idx').on(t.measureId, t.status)],
)

/** Every status change of a finding. */
export const findingHistory = sqliteTable(
  'finding_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subjectId: text('subject_id').notNull(),
    measureId: text('measure_id').notNull(),
    status: text('status', { enum: FINDING_STATUSES }).notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('finding_history_subject_idx').on(t.subjectId, t.at)],
)

export const alerts = sqliteTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    subjectId: text('subject_id').notNull(),
    measureId: text('measure_id').notNull(),
    /** finding: a deviation of a measure; silent: the agent stopped reporting. */
    kind: text('kind', { enum: ALERT_KINDS }).notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    state: text('state', { enum: ALERT_STATES }).notNull(),
    reasonDe: text('reason_de').notNull(),
    reasonEn: text('reason_en').notNull(),
    openedAt: text('opened_at').notNull(),
    acknowledgedAt: text('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: text('resolved_at'),
    snoozedUntil: text('snoozed_until'),
    lastRemindedAt: text('last_reminded_at'),
    escalatedAt: text('escalated_at'),
    /** When the "opened" notification was queued; null while held back (maintenance, snooze). A resolve is only sent for notified alerts. */
    notifiedAt: text('notified_at'),
  },
  (t) => [
    // One alert per subject × measure until it is resolved.
    uniqueIndex('alerts_one_open_idx').on(t.subjectId, t.measureId).where(sql`state <> 'resolved'`),
    index('alerts_state_idx').on(t.state, t.openedAt),
  ],
)

export const channels = sqliteTable('channels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  type: text('type').$type<ChannelType>().notNull(),
  config: text('config', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Only used when an alert is escalated. */
  escalation: integer('escalation', { mode: 'boolean' }).notNull().default(false),
  language: text('language', { enum: LANGUAGES }).notNull().default('de'),
  createdAt: createdAt(),
})

/** Notifications to send, written in the same transaction as the alert change (transactional outbox). */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alertId: text('alert_id'),
    channelId: text('channel_id').notNull(),
    event: text('event', { enum: NOTIFY_EVENT_KINDS }).notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: text('created_at').notNull(),
    nextAttemptAt: text('next_attempt_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    sentAt: text('sent_at'),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_due_idx').on(t.sentAt, t.nextAttemptAt)],
)

/** What happened to an alert, in order: the history shown with it. */
export const alertEvents = sqliteTable(
  'alert_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    alertId: text('alert_id').notNull().references(() => alerts.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    kind: text('kind', { enum: ALERT_EVENT_KINDS }).notNull(),
    /** Who did it (a person's user name) — null for the system. */
    by: text('by'),
    detail: text('detail'),
  },
  (t) => [index('alert_events_alert_idx').on(t.alertId, t.id)],
)

/** Threshold overrides: scope global (value ''), tag (value = tag) or host (value = host id). */
export const thresholdOverrides = sqliteTable(
  'threshold_overrides',
  {
    scope: text('scope', { enum: THRESHOLD_SCOPES }).notNull(),
    scopeValue: text('scope_value').notNull(),
    values: text('values', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.scopeValue] })],
)

/** Small key/value settings (e.g. alert timing). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
})

/** Who may be named as the author of an audited change. */
export const AUDIT_VIA = ['session', 'api-key', 'cli', 'system'] as const

/**
 * Every admin action: who, when, from where, what (before → after). Append-only: triggers (migration) refuse UPDATE
 * and DELETE, and each row carries the SHA-256 of its predecessor (services/hash-chain.ts), so an edit made to the file
 * behind the server's back is detectable. `prev_hash` is unique: two writers can never fork the chain silently.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /** A person's user name, `api-key:NAME`, the OS user of a CLI call, or `system`. */
    actor: text('actor').notNull(),
    via: text('via', { enum: AUDIT_VIA }).notNull(),
    /** The client address of the request (null for the CLI and the system). */
    ip: text('ip'),
    /** What was done, `area.verb`, e.g. `host.update`, `token.create`. */
    action: text('action').notNull(),
    /** What it was done to, `kind:id`, e.g. `host:3f…`; null when there is no single target. */
    target: text('target'),
    /** The state before and after (secrets left out by the caller); null where there is none. */
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    prevHash: text('prev_hash').notNull().unique(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_target_idx').on(t.target, t.id), index('audit_log_action_idx').on(t.action, t.id)],
)

// ── emergency readiness (docs/readiness.md) ──

/**
 * Entries of the list records (contacts, providers, crown jewels, exercises …). `data` is checked against the kind's
 * shared schema on every write (services/readiness/store.ts); one table serves every list, so one piece of code does.
 */
export const recordItems = sqliteTable(
  'record_items',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: RECORD_LIST_KINDS }).notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('record_items_kind_idx').on(t.kind, t.createdAt)],
)

/** The one-document records (roles, emergency plan, communication plan, reporting duties, segmentation). */
export const recordDocs = sqliteTable('record_docs', {
  kind: text('kind', { enum: RECORD_DOC_KINDS }).primaryKey(),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedAt: text('updated_at').notNull(),
})

/** Owner and review of each record kind; a row exists from the first time the record is kept ("recorded"). */
export const recordMeta = sqliteTable('record_meta', {
  kind: text('kind', { enum: RECORD_KINDS }).primaryKey(),
  owner: text('owner').notNull().default(''),
  reviewIntervalDays: integer('review_interval_days').notNull(),
  lastReviewedAt: text('last_reviewed_at'),
  lastReviewedBy: text('last_reviewed_by'),
})

/** The network plan: one file, its type checked by content; kept in the database so a backup of the one file holds it. */
export const networkPlans = sqliteTable('network_plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  mime: text('mime', { enum: NETWORK_PLAN_TYPES }).notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  data: blob('data', { mode: 'buffer' }).notNull(),
  uploadedAt: text('uploaded_at').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
})

/** The readiness score once a day (UTC day), for the trend in the digest and the report. */
export const scoreHistory = sqliteTable('score_history', {
  day: text('day').primaryKey(),
  value: integer('value').notNull(),
})

/** Which version of the emergency card each host's agent has confirmed (card-ack). */
export const hostCards = sqliteTable('host_cards', {
  hostId: text('host_id').primaryKey().references(() => hosts.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
  at: text('at').notNull(),
})

// ── incidents (docs/incidents.md) ──

/** An incident: what happened, how bad, which hosts and crown jewels, and its state with who moved it when. */
export const incidents = sqliteTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    /** INC-2026-001: what people say on the phone. */
    number: text('number').notNull().unique(),
    title: text('title').notNull(),
    scenario: text('scenario', { enum: INCIDENT_SCENARIOS }).notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    description: text('description').notNull().default(''),
    state: text('state', { enum: INCIDENT_STATES }).notNull(),
    source: text('source', { enum: INCIDENT_SOURCES }).notNull(),
    sourceAlertId: text('source_alert_id'),
    drill: integer('drill', { mode: 'boolean' }).notNull().default(false),
    espionageSuspected: integer('espionage_suspected', { mode: 'boolean' }).notNull().default(false),
    hostIds: text('host_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    crownJewelIds: text('crown_jewel_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The moment of awareness: the reporting clocks start here. */
    awareAt: text('aware_at').notNull(),
    /** Where links in messages lead (the public URL, else the address the incident was opened at). */
    baseUrl: text('base_url'),
    openedAt: text('opened_at').notNull(),
    openedBy: text('opened_by').notNull(),
    containedAt: text('contained_at'),
    containedBy: text('contained_by'),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
    closedAt: text('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [index('incidents_state_idx').on(t.state, t.openedAt)],
)

/**
 * The timeline: append-only (triggers refuse UPDATE and DELETE) and hash-chained per incident (services/hash-chain.ts;
 * the chain of an incident starts at a genesis derived from its id), so an entry changed, removed or reordered behind
 * the server's back is found. A correction is a new entry naming the old one.
 */
export const incidentTimeline = sqliteTable(
  'incident_timeline',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    at: text('at').notNull(),
    author: text('author').notNull(),
    kind: text('kind', { enum: TIMELINE_KINDS }).notNull(),
    text: text('text').notNull(),
    data: text('data', { mode: 'json' }),
    correctsId: integer('corrects_id'),
    prevHash: text('prev_hash').notNull().unique(),
    hash: text('hash').notNull(),
  },
  (t) => [index('incident_timeline_incident_idx').on(t.incidentId, t.id)],
)

/** Who of the alerting chain was notified, with a personal acknowledgement link (only its SHA-256 is kept), and who acknowledged. */
export const incidentChain = sqliteTable(
  'incident_chain',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    position: integer('position').notNull(),
    contactId: text('contact_id').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    note: text('note').notNull().default(''),
    tokenHash: text('token_hash').notNull().unique(),
    notifiedAt: text('notified_at').notNull(),
    acknowledgedAt: text('acknowledged_at'),
    /** `link`, or the user name of the admin who recorded it. */
    acknowledgedVia: text('acknowledged_via'),
  },
  (t) => [index('incident_chain_incident_idx').on(t.incidentId, t.position)],
)

/** The checklist of an incident: made from the records when it opens (what was at hand then), ticked with who and when. */
export const incidentSteps = sqliteTable(
  'incident_steps',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    position: integer('position').notNull(),
    kind: text('kind', { enum: STEP_KINDS }).notNull(),
    titleDe: text('title_de').notNull(),
    titleEn: text('title_en').notNull(),
    helpDe: text('help_de').notNull().default(''),
    helpEn: text('help_en').notNull().default(''),
    /** The contact to call, as it was when the step was made: name, phone, e-mail. */
    contact: text('contact', { mode: 'json' }).$type<{ name: string; phone: string | null; email: string | null } | null>(),
    outcome: text('outcome', { enum: STEP_OUTCOMES }),
    note: text('note').notNull().default(''),
    doneAt: text('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [index('incident_steps_incident_idx').on(t.incidentId, t.position)],
)

/** The reporting clocks of an incident: due time, state, and the warnings already sent. */
export const incidentClocks = sqliteTable(
  'incident_clocks',
  {
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    clockId: text('clock_id', { enum: REPORTING_CLOCKS }).notNull(),
    /** The period of the readiness record when the incident opened (hours; the month rule for the NIS2 final report). */
    hours: integer('hours').notNull(),
    state: text('state', { enum: CLOCK_STATES }).notNull().default('running'),
    note: text('note').notNull().default(''),
    doneAt: text('done_at'),
    doneBy: text('done_by'),
    /** The last warning queued (CLOCK_STAGES), so each goes out once. */
    warned: text('warned', { enum: CLOCK_STAGES }),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.clockId] })],
)

/** Reports of people (the card's questions): from `lagebild-agent report` or the web form; an incident once triaged. */
export const userReports = sqliteTable(
  'user_reports',
  {
    id: text('id').primaryKey(),
    receipt: text('receipt').notNull().unique(),
    incidentId: text('incident_id').references(() => incidents.id),
    via: text('via', { enum: USER_REPORT_VIA }).notNull(),
    hostId: text('host_id'),
    lang: text('lang', { enum: LANGUAGES }).notNull(),
    answers: text('answers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    /** The PC's identity and facts at the time of the report (agent), or the sender's address (web). */
    context: text('context', { mode: 'json' }).notNull(),
    reportedAt: text('reported_at').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [index('user_reports_incident_idx').on(t.incidentId, t.receivedAt)],
)

/** A request to an agent for the evidence set. */
export const evidenceRequests = sqliteTable(
  'evidence_requests',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    hostId: text('host_id').notNull(),
    hours: integer('hours').notNull(),
    items: text('items', { mode: 'json' }).$type<string[]>().notNull(),
    state: text('state', { enum: EVIDENCE_STATES }).notNull(),
    requestedAt: text('requested_at').notNull(),
    requestedBy: text('requested_by').notNull(),
    sentAt: text('sent_at'),
    finishedAt: text('finished_at'),
    /** What the agent said per item (collected, or why not). */
    results: text('results', { mode: 'json' }).$type<{ item: string; ok: boolean; error: string | null }[]>(),
  },
  (t) => [index('evidence_requests_incident_idx').on(t.incidentId, t.requestedAt), index('evidence_requests_host_idx').on(t.hostId, t.state)],
)

/**
 * The evidence itself: never altered (triggers refuse UPDATE and DELETE), with its SHA-256 as computed by the agent and
 * by the server on arrival; the timeline entry of its arrival carries the hash too, so changing file and hash together
 * still breaks the timeline's chain. Kept in the database: one file to back up, and never touched by report retention.
 */
export const evidenceItems = sqliteTable(
  'evidence_items',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id').notNull().references(() => evidenceRequests.id),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    hostId: text('host_id').notNull(),
    item: text('item', { enum: EVIDENCE_ITEMS }).notNull(),
    name: text('name').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    truncated: integer('truncated', { mode: 'boolean' }).notNull(),
    /** The agent that collected it (agent id) and its command line. */
    collector: text('collector').notNull(),
    source: text('source').notNull(),
    collectedAt: text('collected_at').notNull(),
    receivedAt: text('received_at').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [uniqueIndex('evidence_items_request_item_idx').on(t.requestId, t.item), index('evidence_items_incident_idx').on(t.incidentId)],
)

/** Follow-up tasks (follow.close-gaps); linked host findings close a task by themselves when all are ok. */
export const incidentTasks = sqliteTable(
  'incident_tasks',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    title: text('title').notNull(),
    owner: text('owner').notNull(),
    dueOn: text('due_on').notNull(),
    notes: text('notes').notNull().default(''),
    findings: text('findings', { mode: 'json' }).$type<{ hostId: string; measureId: string }[]>().notNull(),
    state: text('state', { enum: TASK_STATES }).notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    doneAt: text('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [index('incident_tasks_incident_idx').on(t.incidentId)],
)

/** Heightened monitoring of a host after an incident (follow.watch). */
export const incidentWatches = sqliteTable(
  'incident_watches',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull().references(() => incidents.id),
    hostId: text('host_id').notNull(),
    intervalMinutes: integer('interval_minutes').notNull(),
    startedAt: text('started_at').notNull(),
    startedBy: text('started_by').notNull(),
    until: text('until').notNull(),
    /** Ended early by a person (null: runs until `until`). */
    endedAt: text('ended_at'),
    /** The agent confirmed the watch frame (command-result). */
    confirmedAt: text('confirmed_at'),
    /** The agent confirmed the end (it also ends by itself at `until`). */
    revertedAt: text('reverted_at'),
  },
  (t) => [index('incident_watches_host_idx').on(t.hostId, t.until)],
)

/** The lessons learned of an incident (one document each); actions can update the readiness records. */
export const incidentLessons = sqliteTable('incident_lessons', {
  incidentId: text('incident_id').primaryKey().references(() => incidents.id),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** Per action: when it was carried out (applied to the records, or the record was updated after it). */
  applied: text('applied', { mode: 'json' }).$type<(string | null)[]>().notNull(),
  recordedAt: text('recorded_at').notNull(),
  recordedBy: text('recorded_by').notNull(),
})
