// The measure catalogue: every item of the BSI guide "Einstieg ins IT-Notfallmanagement für KMU" as typed data.
// Texts are our own words; the source is the BSI guide (see docs/measures.md).
import Type, { type Static } from 'typebox'
import { TextSchema } from './common.js'

export const PhaseSchema = Type.Union(
  [Type.Literal('prep'), Type.Literal('ready'), Type.Literal('handle'), Type.Literal('follow')],
  { description: 'Phase of the BSI guide: prep (Vorbereitung), ready (Bereitschaft), handle (Bewältigung), follow (Nachbereitung)' },
)
export type Phase = Static<typeof PhaseSchema>

export const PHASES: Record<Phase, { de: string; en: string }> = {
  prep: { de: 'Vorbereitung', en: 'Preparation' },
  ready: { de: 'Bereitschaft', en: 'Readiness' },
  handle: { de: 'Bewältigung', en: 'Handling' },
  follow: { de: 'Nachbereitung', en: 'Follow-up' },
}

export const JudgedBySchema = Type.Union([Type.Literal('agent'), Type.Literal('record'), Type.Literal('workflow')], {
  description: 'agent: from facts the agent collects; record: from what the admin keeps in the server; workflow: a step in an incident',
})

// Bounds as in the one-source threshold table (a year in hours at most): an override of 1e308 is a 400.
const YEAR_H = 24 * 366

/** Thresholds that judging uses. Every key has a default in DEFAULT_THRESHOLDS and can be overridden globally, per tag and per host. */
export const ThresholdsSchema = Type.Object(
  {
    securityUpdateMaxHours: Type.Integer({ minimum: 0, maximum: YEAR_H, description: 'A pending security update older than this is a deviation (hours)' }),
    pendingUpdatesMax: Type.Integer({ minimum: 0, maximum: 10_000, description: 'More pending updates (of any kind) than this is a deviation' }),
    updateCheckMaxHours: Type.Integer({ minimum: 1, maximum: YEAR_H, description: 'The last successful update check must be younger than this (hours)' }),
    rebootPendingMaxHours: Type.Integer({ minimum: 0, maximum: YEAR_H, description: 'A pending restart since boot older than this is a deviation (hours)' }),
    signatureMaxHours: Type.Integer({ minimum: 1, maximum: YEAR_H, description: 'Anti-malware signatures older than this are a deviation (hours)' }),
    xprotectMaxHours: Type.Integer({ minimum: 1, maximum: YEAR_H, description: 'macOS XProtect definitions older than this are a deviation (hours); Apple updates them every 1–4 weeks' }),
    backupMaxHours: Type.Integer({ minimum: 1, maximum: YEAR_H, description: 'The newest successful backup must be younger than this (hours)' }),
    minPasswordLength: Type.Integer({ minimum: 0, maximum: 128, description: 'The OS should enforce at least this password length' }),
    screenLockMaxSeconds: Type.Integer({ minimum: 0, maximum: 86_400, description: 'The screen should lock after at most this many idle seconds' }),
    silentMaxMinutes: Type.Integer({ minimum: 1, maximum: 60 * YEAR_H, description: 'A host that has not reported for this long is silent (minutes)' }),
  },
  { additionalProperties: false, description: 'Thresholds for judging' },
)
export type Thresholds = Static<typeof ThresholdsSchema>

export const DEFAULT_THRESHOLDS: Thresholds = {
  securityUpdateMaxHours: 72,
  pendingUpdatesMax: 30,
  updateCheckMaxHours: 72,
  rebootPendingMaxHours: 72,
  signatureMaxHours: 72,
  xprotectMaxHours: 45 * 24,
  backupMaxHours: 26,
  minPasswordLength: 8,
  screenLockMaxSeconds: 900,
  silentMaxMinutes: 60,
}

export const MeasureSchema = Type.Object(
  {
    id: Type.String({ description: 'Stable measure id, e.g. base.patches' }),
    phase: PhaseSchema,
    judgedBy: Type.Array(JudgedBySchema, { description: 'How the measure is judged' }),
    title: TextSchema,
    summary: TextSchema,
    thresholds: Type.Array(Type.String(), { description: 'Threshold keys that judging this measure uses' }),
  },
  { additionalProperties: false, description: 'One measure of the BSI guide' },
)
export type Measure = Static<typeof MeasureSchema>

const m = (
  id: string,
  phase: Phase,
  judgedBy: Measure['judgedBy'],
  title: [string, string],
  summary: [string, string],
  thresholds: (keyof Thresholds)[] = [],
): Measure => ({ id, phase, judgedBy, title: { de: title[0], en: title[1] }, summary: { de: summary[0], en: summary[1] }, thresholds })

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
    ['Sicherheitsupdates werden regelmäßig und sofort installiert.', 'Security updates are installed regularly and at once.'],
    ['securityUpdateMaxHours', 'pendingUpdatesMax', 'updateCheckMaxHours', 'rebootPendingMaxHours']),
  m('base.antimalware', 'prep', ['agent'], ['Virenschutz', 'Anti-malware'],
    ['Ein Virenschutz ist aktiv und aktuell.', 'Anti-malware is active and up to date.'], ['signatureMaxHours', 'xprotectMaxHours']),
  m('base.firewall', 'prep', ['agent'], ['Firewall', 'Firewall'],
    ['Die Firewall schützt den Rechner in jedem Profil.', 'The firewall protects the computer in every profile.']),
  m('base.passwords', 'prep', ['agent', 'record'], ['Passwörter und Konten', 'Passwords and accounts'],
    ['Standardpasswörter sind geändert, Gastkonten aus, Passwörter stark.', 'Default passwords changed, guest accounts off, passwords strong.'],
    ['minPasswordLength', 'screenLockMaxSeconds']),
  m('base.backups', 'prep', ['agent', 'record'], ['Datensicherung', 'Backups'],
    ['Es gibt aktuelle Sicherungen, und die Wiederherstellung wird geprobt.', 'Backups are current, and restoring is tested.'], ['backupMaxHours']),
  m('base.inventory', 'prep', ['agent', 'record'], ['Inventar', 'Inventory'],
    ['Die IT-Infrastruktur ist inventarisiert, alle Geräte melden sich.', 'The IT infrastructure is inventoried, every device reports.'], ['silentMaxMinutes']),
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
