// People who use the board: their roles. Agents are no people; they have their own credentials.
import { type Static } from 'typebox'
import { oneOf } from './common.js'

/** admin: everything; viewer: reads the board, changes nothing. */
export const ROLES = ['admin', 'viewer'] as const
export const RoleSchema = oneOf(ROLES, { description: 'admin: may change everything; viewer: reads only' })
export type Role = Static<typeof RoleSchema>
