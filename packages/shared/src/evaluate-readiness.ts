// Judging the organisation: records + a few facts about hosts, channels and alerts → findings for the subject `org`.
// The same pure shape as evaluateFacts for hosts; the server stores the result in the same findings table, so history
// and alerts work alike. A measure whose record has never been kept gets no finding at all ("not recorded").
import type { Text } from './common.js'
import type { Finding } from './findings.js'
import { ORG_MEASURES, type OrgMeasure } from './readiness.js'
import { recordStates, type ReadinessInput, type RecordState, type Verdict } from './readiness-input.js'
import {
  judgeCard, judgeCommunication, judgeContacts, judgeCrownJewels, judgeMoreProviders, judgePlan, judgeProviders, judgeReporting, judgeRoles,
} from './judge-organisation.js'
import {
  judgeDocs, judgeExercises, judgeMonitoring, judgeNetworkPlan, judgePentests, judgeRestoreTests, judgeSegmentation, judgeStatus, judgeTrainings, judgeTwoFactor,
} from './judge-logs.js'

export interface ReadinessResult {
  findings: Finding[]
  notRecorded: OrgMeasure[]
  records: RecordState[]
}

/** What to do about a deviation: where on the board it is fixed. */
const FIX: Record<OrgMeasure, Text> = {
  'prep.roles': { de: 'Rollen und Vertretungen unter Bereitschaft → Personen eintragen.', en: 'Fill the roles and deputies under Readiness → People.' },
  'prep.first-response': { de: 'Notfallplan unter Bereitschaft → Notfallplan ergänzen.', en: 'Complete the emergency plan under Readiness → Plan.' },
  'prep.crown-jewels': { de: 'Kronjuwelen unter Bereitschaft → Kronjuwelen pflegen.', en: 'Keep the crown jewels under Readiness → Crown jewels.' },
  'prep.providers': { de: 'Dienstleister unter Bereitschaft → Dienstleister pflegen.', en: 'Keep the providers under Readiness → Providers.' },
  'prep.more-providers': { de: 'Einen Dienstleister für die Vorfallsbehandlung auswählen und eintragen.', en: 'Select an incident-response provider and record it.' },
  'prep.contacts': { de: 'Kontakte unter Bereitschaft → Personen ergänzen.', en: 'Complete the contacts under Readiness → People.' },
  'prep.communication': { de: 'Kommunikationsplan unter Bereitschaft → Notfallplan ergänzen.', en: 'Complete the communication plan under Readiness → Plan.' },
  'prep.monitoring': { de: 'Die übrigen Rechner anmelden (Rechner anmelden) oder die Anzahl der Rechner berichtigen.', en: 'Enroll the remaining computers (Enroll) or correct the device count.' },
  'prep.exercises': { de: 'Eine Notfallübung durchführen und unter Bereitschaft → Protokolle eintragen.', en: 'Hold an emergency exercise and record it under Readiness → Logs.' },
  'prep.pentest': { de: 'Penetrationstest beauftragen bzw. Befunde beheben und als behoben eintragen.', en: 'Commission a penetration test, or fix the findings and mark them fixed.' },
  'prep.training': { de: 'Schulung durchführen und die Teilnehmenden eintragen.', en: 'Hold a training and record who took part.' },
  'prep.reporting': { de: 'Meldepflichten und Behördenkontakte unter Bereitschaft → Meldepflichten klären.', en: 'Clarify reporting duties and authority contacts under Readiness → Reporting.' },
  'base.passwords': { de: 'Zwei-Faktor-Anmeldung der kritischen Dienste einschalten und eintragen.', en: 'Switch on two-factor sign-in for the critical services and record it.' },
  'base.backups': { de: 'Eine Wiederherstellung testen und unter Bereitschaft → Protokolle eintragen.', en: 'Test a restore and record it under Readiness → Logs.' },
  'base.inventory': { de: 'Aktuellen Netzplan hochladen.', en: 'Upload a current network plan.' },
  'base.segmentation': { de: 'Netzzonen dokumentieren bzw. das Netz aufteilen.', en: 'Document the network zones, or divide the network.' },
  'ready.status': { de: 'Einen Alarmkanal einrichten (Einstellungen) und offene Alarme bestätigen.', en: 'Set up an alert channel (Settings) and acknowledge open alerts.' },
  'ready.card': { de: 'Erstkontakt mit Telefon eintragen; Lücken mit Vertretung oder Bereitschaftsdienst schließen.', en: 'Enter a first contact with a phone; close gaps with deputies or a standby provider.' },
  'follow.docs': { de: 'Die fälligen Nachweise prüfen und als überprüft bestätigen.', en: 'Check the records that are due and confirm them as reviewed.' },
}

/** Judges every organisational measure. */
export function evaluateReadiness(input: ReadinessInput, now: Date): ReadinessResult {
  const records = recordStates(input, now)
  const states = Object.fromEntries(records.map((r) => [r.kind, r])) as Record<RecordState['kind'], RecordState>
  const verdicts: Record<OrgMeasure, Verdict | null> = {
    'prep.roles': judgeRoles(input, states),
    'prep.first-response': judgePlan(input, states),
    'prep.crown-jewels': judgeCrownJewels(input, states),
    'prep.providers': judgeProviders(input, states, now),
    'prep.more-providers': judgeMoreProviders(input),
    'prep.contacts': judgeContacts(input, states),
    'prep.communication': judgeCommunication(input, states),
    'prep.monitoring': judgeMonitoring(input),
    'prep.exercises': judgeExercises(input, states, now),
    'prep.pentest': judgePentests(input, states, now),
    'prep.training': judgeTrainings(input, states, now),
    'prep.reporting': judgeReporting(input, states),
    'base.passwords': judgeTwoFactor(input, states),
    'base.backups': judgeRestoreTests(input, states, now),
    'base.inventory': judgeNetworkPlan(input, states),
    'base.segmentation': judgeSegmentation(input, states),
    'ready.status': judgeStatus(input),
    'ready.card': judgeCard(input, now),
    'follow.docs': judgeDocs(records),
  }
  const findings: Finding[] = []
  const notRecorded: OrgMeasure[] = []
  for (const id of ORG_MEASURES) {
    const v = verdicts[id]
    if (!v) notRecorded.push(id)
    else findings.push({ measureId: id, ...v, ...(v.status === 'deviation' ? { fix: FIX[id] } : {}) })
  }
  return { findings, notRecorded, records }
}

