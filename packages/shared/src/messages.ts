// WebSocket messages between agent and server (GET /api/v1/agent) and server → browser (GET /api/v1/live).
import Type, { type Static } from 'typebox'
import { oneOf } from './common.js'
import { ReportSchema } from './report.js'
import { AgentTextSchema } from './text.js'
import { CardSchema } from './card.js'
import { EVIDENCE_HOURS, EVIDENCE_ITEM_MAX_BYTES, EVIDENCE_ITEMS, WATCH_INTERVAL } from './incidents.js'

/** What the server can ask a connected agent to do. */
export const AGENT_COMMANDS = ['collect-now', 'set-interval'] as const
export const AgentCommandSchema = oneOf(AGENT_COMMANDS, { description: 'collect-now: a full report at once; set-interval: change the collection interval' })
export type AgentCommand = Static<typeof AgentCommandSchema>

export const AgentReportMessageSchema = Type.Object(
  { type: Type.Literal('report'), report: ReportSchema },
  { additionalProperties: false, description: 'Agent → server: a report' },
)
export const CommandResultMessageSchema = Type.Object(
  {
    type: Type.Literal('command-result'),
    commandId: Type.String({ maxLength: 100, description: 'Id of the command answered' }),
    ok: Type.Boolean({ description: 'The command was carried out' }),
    message: Type.Optional(AgentTextSchema(2000, { description: 'Details' })),
  },
  { additionalProperties: false, description: 'Agent → server: result of a command' },
)
export const CardAckMessageSchema = Type.Object(
  { type: Type.Literal('card-ack'), version: Type.String({ maxLength: 64, description: 'The card version now kept on this PC' }) },
  { additionalProperties: false, description: 'Agent → server: the emergency card arrived and is saved' },
)
export const AgentMessageSchema = Type.Union([AgentReportMessageSchema, CommandResultMessageSchema, CardAckMessageSchema], { description: 'Any agent → server frame' })
export type AgentMessage = Static<typeof AgentMessageSchema>

export const AckMessageSchema = Type.Object(
  {
    type: Type.Literal('ack'),
    reportId: Type.String({ description: 'The committed report' }),
    duplicate: Type.Boolean({ description: 'Had been stored before' }),
  },
  { additionalProperties: false, description: 'Server → agent: the report is committed' },
)
export const CommandMessageSchema = Type.Object(
  {
    type: Type.Literal('command'),
    commandId: Type.String({ description: 'Unique command id' }),
    command: AgentCommandSchema,
    intervalMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'For set-interval' })),
  },
  { additionalProperties: false, description: 'Server → agent: a command' },
)
export const ServerErrorMessageSchema = Type.Object(
  {
    type: Type.Literal('error'),
    reportId: Type.Optional(Type.String({ description: 'The report that was refused' })),
    status: Type.Optional(Type.Integer({ description: 'As in HTTP: 4xx refused for good (do not resend), 5xx try again later' })),
    message: Type.String({ description: 'Why' }),
  },
  { additionalProperties: false, description: 'Server → agent: a frame was refused; nothing stored' },
)
/** The longest pause the server may ask for: an agent never stays quiet for longer than its own silence threshold. */
export const SLOW_DOWN_MAX_SECONDS = 900
export const SlowDownMessageSchema = Type.Object(
  {
    type: Type.Literal('slow-down'),
    seconds: Type.Integer({ minimum: 1, maximum: SLOW_DOWN_MAX_SECONDS, description: 'Send no report that can wait for this long (plus a little jitter); keep them and send them afterwards' }),
  },
  { additionalProperties: false, description: 'Server → agent: the server is busy; reports already sent are still answered' },
)
export const CardMessageSchema = Type.Object(
  { type: Type.Literal('card'), card: CardSchema },
  { additionalProperties: false, description: 'Server → agent: the current emergency card (on connect and whenever it changes); the agent keeps it on disk' },
)
export const EvidenceRequestMessageSchema = Type.Object(
  {
    type: Type.Literal('evidence-request'),
    requestId: Type.String({ maxLength: 64, description: 'Answer with uploads to /api/v1/evidence/{requestId}/…' }),
    hours: Type.Integer({ minimum: EVIDENCE_HOURS.min, maximum: EVIDENCE_HOURS.max, description: 'Logs of the last N hours' }),
    items: Type.Array(oneOf(EVIDENCE_ITEMS), { minItems: 1, maxItems: EVIDENCE_ITEMS.length }),
    maxItemBytes: Type.Integer({ minimum: 1024, maximum: EVIDENCE_ITEM_MAX_BYTES, description: 'Cut each item at this size (and say so)' }),
  },
  { additionalProperties: false, description: 'Server → agent: collect the evidence set read-only and upload it (sent again on every connect until answered)' },
)
export const WatchMessageSchema = Type.Object(
  {
    type: Type.Literal('watch'),
    commandId: Type.String({ maxLength: 100, description: 'Answered with a command-result' }),
    intervalMinutes: Type.Union([Type.Integer({ minimum: WATCH_INTERVAL.min, maximum: WATCH_INTERVAL.max }), Type.Null()], { description: 'null: end the heightened monitoring now' }),
    until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The agent returns to its own interval by itself at this time, also without the server' }),
  },
  { additionalProperties: false, description: 'Server → agent: heightened monitoring — collect at least this often until then (sent again on every connect while it lasts)' },
)
export const ServerMessageSchema = Type.Union([AckMessageSchema, CommandMessageSchema, ServerErrorMessageSchema, SlowDownMessageSchema, CardMessageSchema, EvidenceRequestMessageSchema, WatchMessageSchema], { description: 'Any server → agent frame' })
export type ServerMessage = Static<typeof ServerMessageSchema>

export const LiveEventSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('host-updated'), hostId: Type.String() }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('alert-changed'), alertId: Type.String(), hostId: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('readiness-changed') }, { additionalProperties: false, description: 'A record or the organisation\'s findings changed' }),
    Type.Object(
      { type: Type.Literal('enroll-request'), hostId: Type.String() },
      { additionalProperties: false, description: 'A PC that is enrolled already asks to enroll again, or such a request was decided or used' },
    ),
    Type.Object({ type: Type.Literal('incident-changed'), incidentId: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false, description: 'An incident, its timeline, evidence or follow-up changed (null: a user report waits for triage)' }),
  ],
  { description: 'Server → browser: something changed, refetch' },
)
export type LiveEvent = Static<typeof LiveEventSchema>
