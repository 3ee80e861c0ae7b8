// The measure catalogue: every item of the BSI guide "Einstieg ins IT-Notfallmanagement für KMU" as typed data.
// Texts are our own words; the source is the BSI guide (see docs/measures.md).
import Type, { type Static, type TInteger } from 'typebox'
import { oneOf, TextSchema, type Text } from './common.js'

/** The phases of the BSI guide, in order, with their names. */
export const PHASES = {
  prep: { de: 'Vorbereitung', en: 'Preparation' },
  ready: { de: 'Bereitschaft', en: 'Readiness' },
  handle: { de: 'Bewältigung', en: 'Handling' },
  follow: { de: 'Nachbereitung', en: 'Follow-up' },
} as const satisfies Record<string, Text>
export const PHASE_IDS = Object.keys(PHASES) as [keyof typeof PHASES, ...(keyof typeof PHASES)[]]
/** The phases before an emergency: they make up readiness (score, overall light). Handling and follow-up are judged during and after an incident. */
export const SCORED_PHASES: readonly (keyof typeof PHASES)[] = ['prep', 'ready']
export const PhaseSchema = oneOf(PHASE_IDS, {
  description: 'Phase of the BSI guide: prep (Vorbereitung), ready (Bereitschaft), handle (Bewältigung), follow (Nachbereitung)',
})
export type Phase = Static<typeof PhaseSchema>

export const JUDGED_BY = ['agent', 'record', 'workflow'] as const
export const JudgedBySchema = oneOf(JUDGED_BY, {
  description: 'agent: from facts the agent collects; record: from what the admin keeps in the server; workflow: a step in an incident',
})

/** Where a threshold applies (an override for every host, for hosts with a tag, or for one host). */
export const THRESHOLD_SCOPES = ['global', 'tag', 'host'] as const
export type ThresholdScope = (typeof THRESHOLD_SCOPES)[number]

/** One threshold: the measure it serves, its default and bounds, its unit, its label (forms) and its meaning (API). */
export interface ThresholdInfo {
  measureId: string
  default: number
  minimum: number
  maximum: number
  unit: 'hours' | 'minutes' | 'seconds' | 'count' | 'characters'
  label: Text
  description: string
}
const th = (
  measureId: string,
  def: number,
  [minimum, maximum]: [number, number],
  unit: ThresholdInfo['unit'],
  [de, en]: [string, string],
  description: string,
): ThresholdInfo => ({ measureId, default: def, minimum, maximum, unit, label: { de, en }, description })
const YEAR_H = 24 * 366

/**
 * Every threshold judging uses — one line each, the one place to add one. The schema, the defaults, each measure's
 * list, the API and the settings form are derived from this table; overrides apply globally, per tag and per host.
 */
export const THRESHOLDS = {
  securityUpdateMaxHours: th('base.patches', 72, [0, YEAR_H], 'hours', ['Sicherheitsupdate spätestens nach (Stunden)', 'Security update at the latest after (hours)'], 'A pending security update older than this is a deviation (hours)'),
  pendingUpdatesMax: th('base.patches', 30, [0, 10_000], 'count', ['Höchstens ausstehende Updates', 'Most pending updates'], 'More pending updates (of any kind) than this is a deviation'),
  updateCheckMaxHours: th('base.patches', 72, [1, YEAR_H], 'hours', ['Update-Suche spätestens alle (Stunden)', 'Update check at least every (hours)'], 'The last successful update check must be younger than this (hours)'),
  rebootPendingMaxHours: th('base.patches', 72, [0, YEAR_H], 'hours', ['Ausstehender Neustart höchstens (Stunden)', 'Pending restart at most (hours)'], 'A pending restart since boot older than this is a deviation (hours)'),
  signatureMaxHours: th('base.antimalware', 72, [1, YEAR_H], 'hours', ['Virensignaturen höchstens alt (Stunden)', 'Anti-malware signatures at most (hours old)'], 'Anti-malware signatures older than this are a deviation (hours)'),
  xprotectMaxHours: th('base.antimalware', 45 * 24, [1, YEAR_H], 'hours', ['macOS XProtect höchstens alt (Stunden)', 'macOS XProtect at most (hours old)'], 'macOS XProtect definitions older than this are a deviation (hours); Apple updates them every 1–4 weeks'),
  backupMaxHours: th('base.backups', 26, [1, YEAR_H], 'hours', ['Sicherung höchstens alt (Stunden)', 'Backup at most (hours old)'], 'The newest successful backup must be younger than this (hours)'),
  minPasswordLength: th('base.passwords', 8, [0, 128], 'characters', ['Mindestlänge Passwort', 'Minimum password length'], 'The OS should enforce at least this password length'),
  screenLockMaxSeconds: th('base.passwords', 900, [0, 86_400], 'seconds', ['Bildschirmsperre spätestens nach (Sekunden)', 'Screen lock at the latest after (seconds)'], 'The screen should lock after at most this many idle seconds'),
  silentMaxMinutes: th('base.inventory', 60, [1, 60 * YEAR_H], 'minutes', ['Rechner gilt als still nach (Minuten)', 'Host counts as silent after (minutes)'], 'A host that has not reported for this long is silent (minutes)'),
} satisfies Record<string, ThresholdInfo>

export type ThresholdKey = keyof typeof THRESHOLDS
export const THRESHOLD_KEYS = Object.keys(THRESHOLDS) as [ThresholdKey, ...ThresholdKey[]]

export const ThresholdsSchema = Type.Object(
  Object.fromEntries(
    THRESHOLD_KEYS.map((k) => {
      const i = THRESHOLDS[k]
      return [k, Type.Integer({ minimum: i.minimum, maximum: i.maximum, description: i.description })]
    }),
  ) as { [K in ThresholdKey]: TInteger },
  { additionalProperties: false, description: 'Thresholds for judging' },
)
export type Thresholds = Static<typeof ThresholdsSchema>

export const DEFAULT_THRESHOLDS: Thresholds = Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, THRESHOLDS[k].default])) as Thresholds

/**
 * Crown-jewel hosts (named by a crown jewel of the emergency readiness records) are judged more strictly: for these keys
 * the smaller of this value and what applies otherwise. Overrides per tag or host still come after.
 */
export const CROWN_JEWEL_THRESHOLDS: Partial<Thresholds> = {
  securityUpdateMaxHours: 24,
  updateCheckMaxHours: 48,
  rebootPendingMaxHours: 24,
  signatureMaxHours: 48,
  silentMaxMinutes: 30,
}

export const MeasureSchema = Type.Object(
  {
    id: Type.String({ description: 'Stable measure id, e.g. base.patches' }),
    phase: PhaseSchema,
    judgedBy: Type.Array(JudgedBySchema, { description: 'How the measure is judged' }),
    title: TextSchema,
    summary: TextSchema,
    thresholds: Type.Array(oneOf(THRESHOLD_KEYS), { description: 'Threshold keys that judging this measure uses' }),
  },
  { additionalProperties: false, description: 'One measure of the BSI guide' },
)
export type Measure = Static<typeof MeasureSchema>

// A measure's thresholds are those of the table above that name it.
const m = (id: string, phase: Phase, judgedBy: Measure['judgedBy'], title: [string, string], summary: [string, string]): Measure => ({
  id, phase, judgedBy, title: { de: title[0], en: title[1] }, summary: { de: summary[0], en: summary[1] },
  thresholds: THRESHOLD_KEYS.filter((k) => THRESHOLDS[k].measureId === id),
})

export const MEASURES: readonly Measure[] = [
  m('prep.roles', 'prep', ['record'], ['Verantwortliche benannt', 'Officers appointed'],
    ['Beauftragte für IT-Sicherheit und Notfallmanagement mit Vertretung sind benannt.', 'Officers for IT security and emergency management, each with a deputy, are appointed.']),
  m('prep.first-response', 'prep', ['record'], ['Sofortmaßnahmen und Alarmierung', 'First response and alerting'],
    ['Erste Schritte je Szenario und die Alarmierungskette liegen bereit.', 'First steps per scenario and the alerting chain are at hand.']),
  m('prep.crown-jewels', 'prep', ['record', 'agent'], ['Kronjuwelen', 'Crown jewels'],
    ['Zeitkritische Geschäftsprozesse und Systeme sind bekannt und werden zuerst geschützt.', 'Time-critical business processes and systems are known and protected first.']),
  m('prep.providers', 'prep', ['record'], ['IT-Dienstleister', 'IT service providers'],
    ['Mit den IT-Dienstleistern ist vereinbart, bei welchen Vorfällen sie helfen.', 'It is agreed with the IT providers which incidents they support.']),
  m('prep.more-providers', 'prep', ['record'], ['Weitere Dienstleister', 'Further providers'],
    ['Weitere Helfer, z. B. für Vorfallsbehandlung, sind ausgewählt.', 'Further helpers, e.g. for incident response, are selected.']),
  m('prep.contacts', 'prep', ['record'], ['Kontaktliste', 'Contact list'],
    ['Kontakte mit Erreichbarkeit und Verfügbarkeit sind gepflegt.', 'Contacts with reachability and availability are kept current.']),
  m('prep.communication', 'prep', ['record'], ['Kommunikation', 'Communication'],
    ['Regeln für interne und externe Kommunikation (Presse) stehen fest.', 'Rules for internal and external communication (press) are set.']),
  m('prep.monitoring', 'prep', ['agent'], ['Überwachung der IT', 'Monitoring of the IT'],
    ['Die IT-Landschaft wird aktiv und datenschutzgerecht überwacht.', 'The IT landscape is actively monitored, respecting data protection.']),
  m('prep.exercises', 'prep', ['record'], ['Notfallübungen', 'Emergency exercises'],
    ['IT-Notfallszenarien werden regelmäßig geübt.', 'IT emergency scenarios are exercised regularly.']),
  m('prep.pentest', 'prep', ['record'], ['Angriffstests', 'Penetration tests'],
    ['Die Infrastruktur wird auf Angreifbarkeit geprüft.', 'The infrastructure is tested for attackability.']),
  m('prep.training', 'prep', ['record'], ['Schulung', 'Training'],
    ['Alle Beschäftigten werden geschult und sensibilisiert.', 'All staff are trained and made aware.']),
  m('base.patches', 'prep', ['agent'], ['Updates', 'Updates'],
    ['Sicherheitsupdates werden regelmäßig und sofort installiert.', 'Security updates are installed regularly and at once.']),
  m('base.antimalware', 'prep', ['agent'], ['Virenschutz', 'Anti-malware'],
    ['Ein Virenschutz ist aktiv und aktuell.', 'Anti-malware is active and up to date.']),
  m('base.firewall', 'prep', ['agent'], ['Firewall', 'Firewall'],
    ['Die Firewall schützt den Rechner in jedem Profil.', 'The firewall protects the computer in every profile.']),
  m('base.passwords', 'prep', ['agent', 'record'], ['Passwörter und Konten', 'Passwords and accounts'],
    ['Standardpasswörter sind geändert, Gastkonten aus, Passwörter stark.', 'Default passwords changed, guest accounts off, passwords strong.']),
  m('base.backups', 'prep', ['agent', 'record'], ['Datensicherung', 'Backups'],
    ['Es gibt aktuelle Sicherungen, und die Wiederherstellung wird geprobt.', 'Backups are current, and restoring is tested.']),
  m('base.inventory', 'prep', ['agent', 'record'], ['Inventar', 'Inventory'],
    ['Die IT-Infrastruktur ist inventarisiert, alle Geräte melden sich.', 'The IT infrastructure is inventoried, every device reports.']),
  m('base.user-rights', 'prep', ['agent'], ['Benutzerrechte', 'User rights'],
    ['Niemand arbeitet täglich mit Administratorrechten.', 'Nobody works with administrator rights every day.']),
  m('base.segmentation', 'prep', ['agent', 'record'], ['Netztrennung', 'Network segmentation'],
    ['Keine riskanten Dienste sind für das ganze Netz offen.', 'No risky services are open to the whole network.']),
  m('base.encryption', 'prep', ['agent'], ['Verschlüsselung', 'Encryption'],
    ['Die Systemfestplatte ist verschlüsselt.', 'The system disk is encrypted.']),
  m('prep.reporting', 'prep', ['record'], ['Meldewege', 'Reporting paths'],
    ['Meldepflichten (DSGVO, NIS2, KRITIS) und Behördenkontakte sind vorbereitet.', 'Reporting duties (GDPR, NIS2, KRITIS) and authority contacts are prepared.']),
  m('ready.status', 'ready', ['agent'], ['Sicherheitsstatus', 'Security status'],
    ['Der Sicherheitsstatus der Systeme wird regelmäßig geprüft.', 'The security status of the systems is checked regularly.']),
  m('ready.card', 'ready', ['record', 'agent'], ['IT-Notfallkarte', 'IT emergency card'],
    ['Alle kennen die Notfallkarte und den erreichbaren Erstkontakt.', 'Everyone knows the emergency card and the reachable first contact.']),
  m('handle.alert', 'handle', ['workflow'], ['Alarmieren', 'Alert people'],
    ['Alle Nötigen im Unternehmen werden benachrichtigt.', 'Everyone needed in the organisation is notified.']),
  m('handle.users', 'handle', ['workflow'], ['Betroffene befragen', 'Ask affected users'],
    ['Beobachtungen und Tätigkeiten der Betroffenen werden erfragt.', 'Observations and activities of affected users are collected.']),
  m('handle.providers', 'handle', ['workflow'], ['Dienstleister einbinden', 'Involve providers'],
    ['Helfende IT-Dienstleister werden kontaktiert.', 'IT providers who can help are contacted.']),
  m('handle.evidence', 'handle', ['workflow', 'agent'], ['Spuren sichern', 'Secure evidence'],
    ['Systemprotokolle und Logdateien werden gesichert.', 'System logs and log files are secured.']),
  m('handle.document', 'handle', ['workflow'], ['Dokumentieren', 'Document'],
    ['Alles, was mit dem Notfall zusammenhängen kann, wird festgehalten.', 'Everything that may relate to the emergency is recorded.']),
  m('handle.police', 'handle', ['workflow'], ['Polizei (ZAC)', 'Police (ZAC)'],
    ['Kontakt zur Zentralen Ansprechstelle Cybercrime wird erwogen.', 'Contacting the police cybercrime contact point is considered.']),
  m('handle.intelligence', 'handle', ['workflow'], ['Verfassungsschutz', 'Intelligence service'],
    ['Bei Verdacht auf Spionage wird der Verfassungsschutz kontaktiert.', 'On suspected espionage the Verfassungsschutz is contacted.']),
  m('handle.obligations', 'handle', ['workflow'], ['Meldepflichten', 'Reporting duties'],
    ['Meldefristen (DSGVO 72 h, NIS2 24 h/72 h) werden eingehalten.', 'Reporting deadlines (GDPR 72 h, NIS2 24 h/72 h) are met.']),
  m('follow.close-gaps', 'follow', ['workflow', 'agent'], ['Lücken schließen', 'Close gaps'],
    ['Die aufgedeckten Schwachstellen werden beseitigt.', 'The vulnerabilities revealed are closed.']),
  m('follow.watch', 'follow', ['agent'], ['Verstärkt überwachen', 'Watch closely'],
    ['Netz und Systeme werden danach besonders genau beobachtet.', 'Network and systems are watched especially closely afterwards.']),
  m('follow.lessons', 'follow', ['workflow'], ['Lehren ziehen', 'Lessons learned'],
    ['Regeln, Abläufe und Maßnahmen werden überprüft.', 'Rules, processes and measures are reviewed.']),
  m('follow.docs', 'follow', ['record'], ['Dokumentation aktuell', 'Documentation current'],
    ['Die Notfalldokumentation wird aktuell gehalten.', 'The emergency documentation is kept current.']),
  m('follow.architecture', 'follow', ['agent', 'record'], ['Sicherheitsarchitektur', 'Security architecture'],
    ['Die Sicherheitsarchitektur wird weiterentwickelt.', 'The security architecture is evolved.']),
]

export const MEASURE_BY_ID: ReadonlyMap<string, Measure> = new Map(MEASURES.map((x) => [x.id, x]))
