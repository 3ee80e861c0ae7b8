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

/**
 * Input that fits the schema but not the rest of the records (an end before a start, an unknown contact): 400 with the
 * reason in both languages, so the board can show it as it is.
 */
export class InputError extends HttpError {
  constructor(
    readonly text: { de: string; en: string },
    readonly path = '/',
    statusCode = 400,
  ) {
    super(statusCode, text.en, statusCode === 409 ? 'in-use' : 'invalid-input')
  }
}
