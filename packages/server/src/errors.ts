import { AGENT_REFUSAL_TEXT, type AgentRefusal } from '@lagebild/shared'

/** An error whose message is meant for the client (4xx). 5xx messages are never shown. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code = 'error',
  ) {
    super(message)
  }
}
export const unauthorized = (msg = 'authentication required') => new HttpError(401, msg, 'unauthorized')
export const forbidden = (msg = 'not allowed for your role') => new HttpError(403, msg, 'forbidden')
export const notFound = (msg = 'not found') => new HttpError(404, msg, 'not-found')
export const badRequest = (msg: string) => new HttpError(400, msg, 'bad-request')
/** An agent's credentials are refused: 401 with the shared refusal code, which the agent turns into a plain explanation. */
export const agentRefused = (refusal: AgentRefusal) => new HttpError(401, `${refusal}: ${AGENT_REFUSAL_TEXT[refusal].en}`, refusal)
