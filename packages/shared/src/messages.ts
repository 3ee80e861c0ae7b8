// WebSocket messages between agent and server (GET /api/v1/agent) and server → browser (GET /api/v1/live).
import Type, { type Static } from 'typebox'
import { oneOf } from './common.js'
import { ReportSchema } from './report.js'
import { AgentTextSchema } from './text.js'
import { CardSchema } from './card.js'

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
export const CardMessageSchema = Type.Object(
  { type: Type.Literal('card'), card: CardSchema },
  { additionalProperties: false, description: 'Server → agent: the current emergency card (on connect and whenever it changes); the agent keeps it on disk' },
)
export const ServerMessageSchema = Type.Union([AckMessageSchema, CommandMessageSchema, ServerErrorMessageSchema, CardMessageSchema], { description: 'Any server → agent frame' })
export type ServerMessage = Static<typeof ServerMessageSchema>

export const LiveEventSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('host-updated'), hostId: Type.String() }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('alert-changed'), alertId: Type.String(), hostId: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('readiness-changed') }, { additionalProperties: false, description: 'A record or the organisation\'s findings changed' }),
  ],
  { description: 'Server → browser: something changed, refetch' },
)
export type LiveEvent = Static<typeof LiveEventSchema>
