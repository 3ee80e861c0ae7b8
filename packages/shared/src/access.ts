// Why the server refuses an agent or an enrollment: one code per cause, shared by server (401/409 body `error`,
// WebSocket close reason) and agent (which prints the plain explanation instead of a bare 401).
import Type from 'typebox'
import type { Text } from './common.js'

/**
 * Why an agent's credentials are refused. `bad-credentials` is all an unknown id or a wrong secret ever learns (it
 * does not tell whether the id exists); the other three are said only to an agent that proved its secret.
 */
export const AGENT_REFUSALS = ['bad-credentials', 'agent-revoked', 'host-retired', 'agent-replaced'] as const
export type AgentRefusal = (typeof AGENT_REFUSALS)[number]
export const AgentRefusalSchema = Type.Union(AGENT_REFUSALS.map((r) => Type.Literal(r)), {
  description:
    'bad-credentials: unknown agent id or wrong secret; agent-revoked: an admin revoked this agent; host-retired: the host was retired; ' +
    'agent-replaced: the PC was enrolled again, another agent reports for it now',
})

/** Why an agent's credentials were revoked (stored with the agent; a subset of the refusals). */
export const REVOKE_REASONS = ['agent-revoked', 'host-retired', 'agent-replaced'] as const satisfies readonly AgentRefusal[]
export type RevokeReason = (typeof REVOKE_REASONS)[number]

/** Close code of the agent WebSocket when its credentials are refused (at connect or later): "4000 + HTTP 401". */
export const WS_CLOSE_REFUSED = 4401

/** What the agent (and its `doctor`) tells the person at the PC. */
export const AGENT_REFUSAL_TEXT: Record<AgentRefusal, Text> = {
  'bad-credentials': {
    en: 'the server does not accept this agent\'s credentials (unknown or wrong); run `lagebild-agent doctor`, then enroll again with a new token',
    de: 'der Server nimmt die Zugangsdaten dieses Agenten nicht an (unbekannt oder falsch); `lagebild-agent doctor` ausführen, dann mit neuem Token neu anmelden',
  },
  'agent-revoked': {
    en: 'an administrator revoked this agent on the server; run `lagebild-agent doctor`; to report again, enroll with a new token',
    de: 'ein Administrator hat diesen Agenten auf dem Server gesperrt; `lagebild-agent doctor` ausführen; um wieder zu melden, mit neuem Token anmelden',
  },
  'host-retired': {
    en: 'this PC was retired on the server and may no longer report; run `lagebild-agent doctor`, or `lagebild-agent uninstall` if the PC is out of service',
    de: 'dieser PC wurde auf dem Server stillgelegt und darf nicht mehr melden; `lagebild-agent doctor` ausführen, oder `lagebild-agent uninstall`, wenn der PC außer Betrieb ist',
  },
  'agent-replaced': {
    en: 'this PC was enrolled again elsewhere (another agent reports for it now); run `lagebild-agent doctor`',
    de: 'dieser PC wurde anderswo erneut angemeldet (ein anderer Agent meldet jetzt für ihn); `lagebild-agent doctor` ausführen',
  },
}

/** Why an enrollment is refused (401/409 `error`). */
export const ENROLL_REFUSALS = ['bad-token', 'token-expired', 'token-used-up', 'machine-enrolled'] as const
export type EnrollRefusal = (typeof ENROLL_REFUSALS)[number]

export const ENROLL_REFUSAL_TEXT: Record<EnrollRefusal, Text> = {
  'bad-token': { en: 'unknown or revoked enrollment token', de: 'unbekanntes oder widerrufenes Anmelde-Token' },
  'token-expired': { en: 'the enrollment token has expired; create a new one', de: 'das Anmelde-Token ist abgelaufen; ein neues erstellen' },
  'token-used-up': { en: 'the enrollment token is used up; create a new one', de: 'das Anmelde-Token ist aufgebraucht; ein neues erstellen' },
  'machine-enrolled': {
    en:
      'this PC is already enrolled and its agent is still active. Reinstalled? An admin can allow this enrollment on the host page of the board ' +
      '(lagebild-agent enroll and the install lines wait for it), or revoke the old agent there first, or create the token with "may replace". ' +
      'A cloned disk? Give the clone its own machine id',
    de:
      'dieser PC ist schon angemeldet und sein Agent ist noch aktiv. Neu installiert? Ein Admin kann diese Anmeldung auf der Rechnerseite im ' +
      'Statusboard erlauben (lagebild-agent enroll und die Installationszeilen warten darauf), dort zuerst den alten Agenten sperren oder den ' +
      'Schlüssel mit „darf ersetzen“ erzeugen. Geklonte Festplatte? Dem Klon eine eigene Maschinen-ID geben',
  },
}

/** The code at the start of a refusal text ("agent-replaced: …"), as sent in a close reason or a 401 body. */
export function agentRefusalOf(text: string | undefined | null): AgentRefusal | null {
  const code = /^([a-z-]+)(?::|$)/.exec(text ?? '')?.[1]
  return (AGENT_REFUSALS as readonly string[]).includes(code ?? '') ? (code as AgentRefusal) : null
}

/** One line for logs a person reads: English / German (agents run without a known reader's language). */
export const bilingual = (t: Text) => `${t.en} / ${t.de}`

/** Without a number of uses a token enrolls ONE PC: a token pasted into a chat or a script cannot enroll any number. */
export const DEFAULT_TOKEN_USES = 1
export const MAX_TOKEN_USES = 10_000
/** A token that may replace an enrolled PC's agent is a sharp tool: it lives at most a day (default one hour). */
export const REPLACE_TOKEN_MAX_HOURS = 24

/**
 * A PC that is enrolled already asks again with an ordinary token (a reinstall, the install line pasted on the server's
 * own PC after `npm start`): the server records a request that an admin allows or refuses on the host page. Stored
 * states; a request past its `expiresAt` counts as expired whatever its state.
 */
export const ENROLL_REQUEST_STATES = ['pending', 'approved', 'refused', 'used'] as const
export type EnrollRequestState = (typeof ENROLL_REQUEST_STATES)[number]
/** What a waiting agent hears in its 409 (an approved request enrolls instead of answering 409). */
export const ENROLL_WAIT_STATES = ['pending', 'refused'] as const satisfies readonly EnrollRequestState[]
/** How long a request waits for a decision, and how long an approval holds for the PC to come back. */
export const ENROLL_REQUEST_TTL_MINUTES = 30
/** Requests waiting at once, per host and in all: an attacker with a token cannot flood the board or the table. */
export const ENROLL_REQUESTS_PER_HOST = 3
export const ENROLL_REQUESTS_TOTAL = 50
/** `lagebild-agent enroll` asks again this often while it waits, and gives up after this long (its request stays). */
export const ENROLL_POLL_SECONDS = 5
export const ENROLL_WAIT_MINUTES = 10
/** Exit code of `lagebild-agent enroll` while an admin has not decided yet (--no-wait, or the wait ran out). */
export const ENROLL_EXIT_PENDING = 3
/** Exit code of install.sh / install.ps1 for the same (both scripts; 6 is taken by install.ps1's access-rights check). */
export const INSTALL_EXIT_PENDING = 7
