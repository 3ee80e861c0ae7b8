// The texts of incidents in German and English: labels of every allowed value of incidents.ts (keyed by the tuples, so a
// value added there without a label does not compile), the steps of the checklist, the evidence set. Our own words; the
// sources are the BSI guide, the ACS and police pages named in docs/incidents.md.
import type { Text } from './common.js'
import type {
  ClockStage, ClockState, EvidenceItem, EvidenceState, IncidentSource, IncidentState, LessonActionKind, StepKind, StepOutcome, TaskState, TimelineKind,
  UserReportVia,
} from './incidents.js'

const t = (de: string, en: string): Text => ({ de, en })

export const INCIDENT_STATE_LABEL: Record<IncidentState, Text> = {
  open: t('offen', 'open'), contained: t('eingedämmt', 'contained'), resolved: t('behoben', 'resolved'), closed: t('abgeschlossen', 'closed'),
}
export const INCIDENT_SOURCE_LABEL: Record<IncidentSource, Text> = {
  manual: t('von Hand', 'by hand'), alert: t('aus einem Alarm', 'from an alert'), 'user-report': t('aus einer Meldung', 'from a user report'),
}
export const TIMELINE_KIND_LABEL: Record<TimelineKind, Text> = {
  note: t('Notiz', 'Note'), call: t('Anruf', 'Call'), decision: t('Entscheidung', 'Decision'),
  opened: t('Eröffnet', 'Opened'), state: t('Status', 'State'), change: t('Änderung', 'Change'), 'user-report': t('Meldung', 'User report'),
  notified: t('Alarmiert', 'Notified'), acknowledged: t('Bestätigt', 'Acknowledged'), step: t('Schritt', 'Step'), clock: t('Meldefrist', 'Deadline'),
  evidence: t('Beweise', 'Evidence'), custody: t('Zugriff auf Beweise', 'Evidence access'), task: t('Aufgabe', 'Task'),
  watch: t('Verstärkte Überwachung', 'Heightened monitoring'), lessons: t('Lehren', 'Lessons'), export: t('Export', 'Export'),
}
export const STEP_OUTCOME_LABEL: Record<StepOutcome, Text> = { done: t('erledigt', 'done'), 'not-needed': t('nicht nötig', 'not needed') }
export const CLOCK_STATE_LABEL: Record<ClockState, Text> = { running: t('läuft', 'running'), done: t('gemeldet', 'reported'), waived: t('nicht erforderlich', 'not required') }
export const CLOCK_STAGE_LABEL: Record<ClockStage, Text> = {
  half: t('Hälfte der Frist verstrichen', 'half the time gone'), 'due-soon': t('Frist läuft bald ab', 'deadline close'), overdue: t('Frist überschritten', 'deadline passed'),
}
export const EVIDENCE_STATE_LABEL: Record<EvidenceState, Text> = {
  pending: t('wartet auf den Rechner', 'waiting for the host'), sent: t('beim Agenten', 'with the agent'), complete: t('vollständig gesichert', 'secured completely'),
  partial: t('teilweise gesichert', 'partly secured'), failed: t('fehlgeschlagen', 'failed'),
}
export const TASK_STATE_LABEL: Record<TaskState, Text> = { open: t('offen', 'open'), done: t('erledigt', 'done') }
export const USER_REPORT_VIA_LABEL: Record<UserReportVia, Text> = { agent: t('vom PC (lagebild-agent report)', 'from the PC (lagebild-agent report)'), web: t('Webformular', 'web form') }
export const LESSON_ACTION_LABEL: Record<LessonActionKind, Text> = {
  note: t('Merkpunkt', 'Note'),
  exercise: t('Als Übung ins Übungsprotokoll eintragen', 'Record as an exercise in the exercise log'),
  'plan-step': t('Ersten Schritt im Notfallplan ergänzen', 'Add a first step to the emergency plan'),
  record: t('Nachweis aktualisieren', 'Update a readiness record'),
}

export const EVIDENCE_ITEM_LABEL: Record<EvidenceItem, Text> = {
  'system-log': t('System- und Ereignisprotokolle', 'System and event logs'),
  'auth-log': t('Anmeldeprotokolle', 'Authentication logs'),
  processes: t('Laufende Prozesse', 'Running processes'),
  'listening-sockets': t('Offene Netzwerk-Ports', 'Listening sockets'),
  'scheduled-tasks': t('Geplante Aufgaben (cron, Timer, Aufgabenplanung)', 'Scheduled tasks (cron, timers, Task Scheduler)'),
  autostarts: t('Autostarts und Dienste', 'Autostarts and services'),
  'recent-logins': t('Letzte Anmeldungen', 'Recent logins'),
}

/** The fixed steps of the checklist (providers and first steps come from the records). */
export const STEP_TEXT: Record<Exclude<StepKind, 'first-step' | 'provider'>, { title: Text; help: Text }> = {
  'ask-users': {
    title: t('Betroffene befragen', 'Ask the people affected'),
    help: t('Wer hat was beobachtet, was wurde gerade getan? Meldungen vom PC (lagebild-agent report) und aus dem Webformular erscheinen hier von selbst.',
      'Who observed what, what were they doing? Reports from the PC (lagebild-agent report) and the web form appear here by themselves.'),
  },
  evidence: {
    title: t('Spuren sichern', 'Secure evidence'),
    help: t('Die Agenten der betroffenen Rechner sammeln Protokolle, Prozesse, Ports, Aufgaben, Autostarts und Anmeldungen; gespeichert mit SHA-256.',
      'The agents of the affected hosts collect logs, processes, ports, tasks, autostarts and logins; stored with SHA-256.'),
  },
  police: {
    title: t('Polizei einschalten (ZAC Cybercrime)', 'Involve the police (cybercrime contact point, ZAC)'),
    help: t('Die Zentrale Ansprechstelle Cybercrime des eigenen Bundeslands berät vertraulich und nimmt die Anzeige auf; Ermittlungen stören den Betrieb nicht.',
      "The cybercrime contact point of the company's federal state advises in confidence and takes the complaint; investigations do not disrupt operations."),
  },
  acs: {
    title: t('Freiwillige Meldung an die Allianz für Cyber-Sicherheit', 'Voluntary report to the Alliance for Cyber Security (ACS)'),
    help: t('Meldestelle des BSI, auch anonym: Online-Formular der ACS oder E-Mail an meldestelle@bsi.bund.de. Hilft, andere zu warnen; keine Ermittlungen.',
      'The BSI reporting office, anonymous if wished: the ACS online form or e-mail to meldestelle@bsi.bund.de. Helps to warn others; no investigation.'),
  },
  intelligence: {
    title: t('Verfassungsschutz einschalten (Verdacht auf Spionage)', 'Contact the Verfassungsschutz (suspected espionage)'),
    help: t('Bei Verdacht auf einen ausländischen Nachrichtendienst: Wirtschaftsschutz des Landesamts für Verfassungsschutz oder des Bundesamts (BfV).',
      'When a foreign intelligence service may be behind it: the economic-protection unit of the state office or the federal office for the protection of the constitution (BfV).'),
  },
}
export const PROVIDER_STEP = {
  title: (name: string) => t(`Dienstleister anrufen: ${name}`, `Call the provider: ${name}`),
  none: t('IT-Dienstleister anrufen (für dieses Szenario ist keiner hinterlegt)', 'Call an IT provider (none is recorded for this scenario)'),
}

/** The W questions of the card, as form labels (the card's own wording is CARD_QUESTIONS). */
export const USER_REPORT_FIELDS = {
  reporter: t('Wer meldet? (Name)', 'Who is reporting? (name)'),
  phone: t('Telefon für Rückfragen', 'Phone for questions'),
  system: t('Welches Gerät oder System ist betroffen?', 'Which device or system is affected?'),
  observed: t('Was haben Sie beobachtet, was haben Sie gerade getan?', 'What did you observe, what were you doing?'),
  when: t('Wann ist es passiert?', 'When did it happen?'),
  where: t('Wo steht das Gerät? (Gebäude, Raum, Arbeitsplatz)', 'Where is the device? (building, room, desk)'),
} as const
