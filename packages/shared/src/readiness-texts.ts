// The texts of emergency readiness in German and English: labels of every allowed value (keyed by the tuples of
// readiness.ts, so a value added there without a label does not compile), the editable defaults of the emergency and
// communication plans, the rules and questions of the IT emergency card, the first steps of a new company.
// Our own words; the source is the BSI guide and the BSI/ACS card "Verhalten bei IT-Notfällen" (see docs/readiness.md).
import type { Text } from './common.js'
import type {
  CommunicationDoc, ContactKind, FederalState, PlanDoc, RoleKind, Scenario, TwoFactorState, Weekday,
  ANSWERS, EXERCISE_SCENARIOS, RESTORE_RESULTS,
} from './readiness.js'

const t = (de: string, en: string): Text => ({ de, en })

export const WEEKDAY_LABEL: Record<Weekday, Text> = {
  mon: t('Mo', 'Mon'), tue: t('Di', 'Tue'), wed: t('Mi', 'Wed'), thu: t('Do', 'Thu'), fri: t('Fr', 'Fri'), sat: t('Sa', 'Sat'), sun: t('So', 'Sun'),
}

export const ROLE_LABEL: Record<RoleKind, Text> = {
  'first-contact': t('Erstkontakt für IT-Notfälle', 'First contact for IT emergencies'),
  'security-officer': t('IT-Sicherheitsbeauftragte/r', 'IT security officer'),
  'emergency-manager': t('Notfallbeauftragte/r', 'Emergency manager'),
}

export const CONTACT_KIND_LABEL: Record<ContactKind, Text> = {
  person: t('Person im Unternehmen', 'Person in the company'),
  'it-provider': t('IT-Dienstleister', 'IT service provider'),
  'incident-response': t('Dienstleister für Vorfallsbehandlung', 'Incident-response provider'),
  insurer: t('Versicherung', 'Insurer'),
  'data-protection-authority': t('Datenschutzaufsicht', 'Data-protection authority'),
  police: t('Polizei (ZAC Cybercrime)', 'Police (cybercrime contact point)'),
  authority: t('Andere Behörde (z. B. BSI)', 'Other authority (e.g. BSI)'),
  other: t('Sonstige', 'Other'),
}

export const SCENARIO_LABEL: Record<(typeof EXERCISE_SCENARIOS)[number], Text> = {
  ransomware: t('Ransomware / Verschlüsselung', 'Ransomware / encryption'),
  'data-leak': t('Datenabfluss', 'Data leak'),
  outage: t('Ausfall von Systemen', 'System outage'),
  'lost-device': t('Gerät verloren oder gestohlen', 'Lost or stolen device'),
  'account-takeover': t('Übernommenes Konto', 'Account takeover'),
  other: t('Anderes Szenario', 'Other scenario'),
}

export const TWO_FACTOR_LABEL: Record<TwoFactorState, Text> = {
  enforced: t('für alle erzwungen', 'enforced for everyone'),
  partial: t('nur für einen Teil', 'only for some'),
  off: t('aus', 'off'),
  'not-possible': t('vom Dienst nicht angeboten', 'not offered by the service'),
}

export const RESTORE_RESULT_LABEL: Record<(typeof RESTORE_RESULTS)[number], Text> = {
  success: t('erfolgreich', 'successful'), partial: t('teilweise', 'partial'), failed: t('fehlgeschlagen', 'failed'),
}

export const ANSWER_LABEL: Record<(typeof ANSWERS)[number], Text> = { yes: t('ja', 'yes'), no: t('nein', 'no'), unsure: t('unklar', 'not sure') }

export const FEDERAL_STATE_LABEL: Record<FederalState, string> = {
  BW: 'Baden-Württemberg', BY: 'Bayern', BE: 'Berlin', BB: 'Brandenburg', HB: 'Bremen', HH: 'Hamburg', HE: 'Hessen',
  MV: 'Mecklenburg-Vorpommern', NI: 'Niedersachsen', NW: 'Nordrhein-Westfalen', RP: 'Rheinland-Pfalz', SL: 'Saarland',
  SN: 'Sachsen', ST: 'Sachsen-Anhalt', SH: 'Schleswig-Holstein', TH: 'Thüringen',
}

/**
 * The police cybercrime contact points (ZAC) as far as published numbers were found (research of 2026, source:
 * docs/readiness.md). Offered as a pre-filled contact; the admin checks them before saving. States without a verified
 * number get the name only — a made-up number would be worse than none.
 */
export const ZAC_CONTACTS: Record<FederalState, { name: string; phone: string | null; email: string | null }> = {
  BW: { name: 'ZAC Cybercrime LKA Baden-Württemberg', phone: '0711 5401-2444', email: 'cybercrime@polizei.bwl.de' },
  BY: { name: 'ZAC Cybercrime LKA Bayern', phone: '089 1212-3300', email: 'zac@polizei.bayern.de' },
  BE: { name: 'ZAC Cybercrime LKA Berlin', phone: '030 4664-924924', email: 'zac@polizei.berlin.de' },
  BB: { name: 'ZAC Cybercrime LKA Brandenburg', phone: '03334 388-8686', email: 'zac@polizei.brandenburg.de' },
  HB: { name: 'ZAC Cybercrime Polizei Bremen', phone: '0421 362-3853', email: 'cybercrime@polizei.bremen.de' },
  HH: { name: 'ZAC Cybercrime LKA Hamburg', phone: '040 4286-75455', email: 'zac@polizei.hamburg.de' },
  HE: { name: 'ZAC Cybercrime Hessen (HLKA)', phone: '0611 83-8377', email: null },
  MV: { name: 'ZAC Cybercrime LKA Mecklenburg-Vorpommern', phone: null, email: null },
  NI: { name: 'ZAC Cybercrime LKA Niedersachsen', phone: null, email: null },
  NW: { name: 'ZAC Cybercrime LKA Nordrhein-Westfalen', phone: null, email: null },
  RP: { name: 'ZAC Cybercrime LKA Rheinland-Pfalz', phone: null, email: null },
  SL: { name: 'ZAC Cybercrime LPP Saarland', phone: null, email: null },
  SN: { name: 'ZAC Cybercrime LKA Sachsen', phone: null, email: null },
  ST: { name: 'ZAC Cybercrime LKA Sachsen-Anhalt', phone: null, email: null },
  SH: { name: 'ZAC Cybercrime LKA Schleswig-Holstein', phone: null, email: null },
  TH: { name: 'ZAC Cybercrime LKA Thüringen', phone: null, email: null },
}

const lines = (...l: [string, string][]): Text => ({ de: l.map((x) => x[0]).join('\n'), en: l.map((x) => x[1]).join('\n') })

/** First steps per scenario, offered as the editable default of the emergency plan. */
export const DEFAULT_SCENARIO_STEPS: Record<Scenario, Text> = {
  ransomware: lines(
    ['Betroffene Rechner sofort vom Netz trennen (Kabel ziehen, WLAN aus) – nicht ausschalten.', 'Disconnect affected computers from the network at once (pull the cable, Wi-Fi off) – do not switch them off.'],
    ['Erstkontakt und Alarmierungskette anrufen.', 'Call the first contact and the alerting chain.'],
    ['Datensicherungen stoppen und vom Netz trennen, damit sie nicht mitverschlüsselt werden.', 'Stop the backups and disconnect them so they are not encrypted too.'],
    ['Erpresserschreiben und Bildschirme fotografieren, Zeitpunkte notieren.', 'Photograph ransom notes and screens, write down the times.'],
    ['Dienstleister für Vorfallsbehandlung und Versicherung informieren; Anzeige bei der ZAC prüfen.', 'Inform the incident-response provider and the insurer; consider reporting to the police (ZAC).'],
    ['Kein Lösegeld zahlen, ohne mit Fachleuten und Polizei gesprochen zu haben.', 'Pay no ransom without having spoken to experts and the police.'],
  ),
  'data-leak': lines(
    ['Feststellen, welche Daten betroffen sind und seit wann; Zeitpunkt der Kenntnis notieren.', 'Establish which data is affected and since when; note the moment you became aware.'],
    ['Datenschutzbeauftragte/n informieren: Meldung an die Aufsicht binnen 72 Stunden prüfen.', 'Inform the data-protection officer: a report to the authority may be due within 72 hours.'],
    ['Zugänge sperren und Passwörter der betroffenen Konten ändern.', 'Block access and change the passwords of the accounts involved.'],
    ['Beweise sichern (Protokolle, E-Mails), nichts löschen.', 'Secure evidence (logs, e-mails), delete nothing.'],
    ['Betroffene Personen informieren, wenn ein hohes Risiko besteht.', 'Inform the people affected when the risk to them is high.'],
  ),
  outage: lines(
    ['Umfang feststellen: welche Systeme, welche Standorte, seit wann.', 'Establish the extent: which systems, which sites, since when.'],
    ['IT-Dienstleister anrufen und Störung melden.', 'Call the IT provider and report the outage.'],
    ['Prüfen, ob ein Angriff dahintersteckt – im Zweifel wie bei Ransomware handeln.', 'Check whether an attack is behind it – if in doubt, act as for ransomware.'],
    ['Kronjuwelen zuerst wiederherstellen; Ersatzverfahren (Papier, Telefon) nutzen.', 'Restore the crown jewels first; use fallback procedures (paper, phone).'],
    ['Kunden und Beschäftigte nach dem Kommunikationsplan informieren.', 'Inform customers and staff following the communication plan.'],
  ),
  'lost-device': lines(
    ['Verlust sofort dem Erstkontakt melden: welches Gerät, wann, wo.', 'Report the loss to the first contact at once: which device, when, where.'],
    ['Konten des Geräts sperren bzw. Passwörter ändern; Gerät aus der Ferne sperren oder löschen.', 'Lock the device\'s accounts or change their passwords; lock or wipe the device remotely.'],
    ['Prüfen, ob die Festplatte verschlüsselt war; sonst Datenschutz-Meldung prüfen.', 'Check whether the disk was encrypted; if not, a data-protection report may be due.'],
    ['Bei Diebstahl Anzeige bei der Polizei erstatten.', 'In case of theft, report it to the police.'],
  ),
  'account-takeover': lines(
    ['Passwort des Kontos sofort ändern und alle Sitzungen abmelden.', 'Change the account\'s password at once and sign out every session.'],
    ['Zwei-Faktor-Anmeldung einschalten oder neu einrichten.', 'Switch on or re-enrol two-factor sign-in.'],
    ['Weiterleitungen, neue Regeln und Geräte im Konto prüfen und entfernen.', 'Check for and remove forwarding, new rules and devices in the account.'],
    ['Empfänger warnen, falls vom Konto aus Nachrichten verschickt wurden.', 'Warn recipients if messages were sent from the account.'],
    ['Prüfen, auf welche Daten zugegriffen wurde (Datenschutz).', 'Check which data was accessed (data protection).'],
  ),
}

export const DEFAULT_PLAN: PlanDoc = { alertingChain: [], scenarios: DEFAULT_SCENARIO_STEPS }

export const DEFAULT_COMMUNICATION: CommunicationDoc = {
  spokespersonId: null,
  internal: lines(
    ['Beschäftigte erfahren Neuigkeiten nur von der Notfallleitung, nicht aus Gerüchten.', 'Staff hear news only from the emergency lead, not from rumours.'],
    ['Keine Details zum Vorfall über betroffene Systeme (E-Mail, Chat) besprechen.', 'Do not discuss details of the incident over affected systems (e-mail, chat).'],
    ['Ein fester Zeitpunkt für Lage-Updates (z. B. 9 und 15 Uhr).', 'Fixed times for status updates (e.g. 9 am and 3 pm).'],
  ),
  external: lines(
    ['Nach außen spricht nur die benannte Sprecherin bzw. der Sprecher.', 'Only the named spokesperson speaks to the outside.'],
    ['Keine Vermutungen über Täter oder Schaden äußern.', 'Do not speculate about attackers or damage.'],
    ['Kunden und Partner werden informiert, bevor sie es aus der Presse erfahren.', 'Customers and partners are told before they read it in the press.'],
  ),
  templates: [
    {
      title: t('Kurzinformation an Kunden', 'Short notice to customers'),
      body: t(
        'Wir haben eine Störung unserer IT festgestellt und arbeiten mit Fachleuten an der Behebung. Nach heutigem Stand …\nWir melden uns bis … erneut.',
        'We have detected a disruption of our IT and are working with experts to resolve it. As of today …\nWe will update you by …',
      ),
    },
    {
      title: t('Antwort auf Presseanfragen', 'Answer to press enquiries'),
      body: t(
        'Wir bestätigen einen IT-Sicherheitsvorfall. Die zuständigen Behörden sind informiert. Zu Einzelheiten äußern wir uns derzeit nicht.',
        'We confirm an IT security incident. The competent authorities have been informed. We will not comment on details at this time.',
      ),
    },
  ],
}

/** The behaviour rules on the emergency card (after the BSI/ACS card "Verhalten bei IT-Notfällen"). */
export const CARD_RULES: Text[] = [
  t('Ruhe bewahren.', 'Stay calm.'),
  t('IT-Notfall sofort melden – lieber einmal zu oft anrufen als einmal zu wenig.', 'Report an IT emergency at once – better call once too often than once too few.'),
  t('Die Arbeit am betroffenen Gerät einstellen.', 'Stop working on the affected device.'),
  t('Gerät nicht ausschalten; vom Netz nur trennen, wenn der Erstkontakt es sagt.', 'Do not switch the device off; disconnect it only when the first contact tells you to.'),
  t('Keine eigenen Gegenmaßnahmen – nur nach Anweisung handeln.', 'Take no countermeasures on your own – act only on instruction.'),
  t('Beobachtungen notieren (was, wann, Fotos vom Bildschirm).', 'Write down what you observed (what, when, photos of the screen).'),
]

/** The questions a reporter answers (the "W questions"). */
export const CARD_QUESTIONS: Text[] = [
  t('Wer meldet? (Name, Telefon)', 'Who is reporting? (name, phone)'),
  t('Welches Gerät oder System ist betroffen?', 'Which device or system is affected?'),
  t('Was haben Sie beobachtet, was haben Sie gerade getan?', 'What did you observe, what were you doing?'),
  t('Wann ist es passiert?', 'When did it happen?'),
  t('Wo steht das Gerät? (Gebäude, Raum, Arbeitsplatz)', 'Where is the device? (building, room, desk)'),
]

export const CARD_TEXT = {
  title: t('Verhalten bei IT-Notfällen', 'What to do in an IT emergency'),
  motto: t('Ruhe bewahren & IT-Notfall melden', 'Stay calm & report the IT emergency'),
  call: t('Im IT-Notfall anrufen', 'In an IT emergency call'),
  firstContact: t('Erstkontakt', 'First contact'),
  deputy: t('Vertretung', 'Deputy'),
  standby: t('Außerhalb dieser Zeiten', 'Outside these hours'),
  rules: t('So verhalten Sie sich', 'What you do'),
  questions: t('Diese Fragen beantworten Sie', 'Questions you answer'),
  noContact: t('Noch kein Erstkontakt hinterlegt – bitte in Lagebild eintragen.', 'No first contact recorded yet – please enter one in Lagebild.'),
  report: t('Meldung auch online', 'Report online too'),
  asOf: t('Stand', 'As of'),
  source: t('Nach der IT-Notfallkarte des BSI', 'After the BSI IT emergency card'),
  gaps: t('Nicht erreichbar', 'Not reachable'),
  mobile: t('mobil', 'mobile'),
}

/** What a company that has recorded nothing does first, in this order, and why. */
export const FIRST_STEPS: { measureId: string; path: string; title: Text; why: Text }[] = [
  {
    measureId: 'ready.card', path: '/readiness/people',
    title: t('Erstkontakt und Vertretung eintragen', 'Enter the first contact and a deputy'),
    why: t('Wer im Notfall anzurufen ist, steht dann auf der Notfallkarte an jedem Rechner.', 'Whom to call in an emergency then appears on the emergency card on every computer.'),
  },
  {
    measureId: 'prep.contacts', path: '/readiness/people#contacts',
    title: t('Kontakte mit Telefon und Erreichbarkeit pflegen', 'Keep contacts with phone and availability'),
    why: t('Die Übersicht zeigt dann, zu welchen Stunden niemand erreichbar ist.', 'The coverage view then shows the hours when nobody can be reached.'),
  },
  {
    measureId: 'prep.providers', path: '/readiness/providers',
    title: t('IT-Dienstleister und Vereinbarungen erfassen', 'Record the IT providers and what was agreed'),
    why: t('Im Notfall ist klar, wer bei welchem Vorfall wie schnell hilft.', 'In an emergency it is clear who helps with which incident, and how fast.'),
  },
  {
    measureId: 'prep.first-response', path: '/readiness/plan',
    title: t('Alarmierungskette und erste Schritte festlegen', 'Set the alerting chain and first steps'),
    why: t('Die ersten Minuten entscheiden; Vorlagen für fünf Szenarien sind vorbereitet.', 'The first minutes count; templates for five scenarios are ready to adapt.'),
  },
  {
    measureId: 'prep.crown-jewels', path: '/readiness/crown-jewels',
    title: t('Kronjuwelen benennen', 'Name the crown jewels'),
    why: t('Ihre Rechner werden strenger geprüft und im Notfall zuerst wiederhergestellt.', 'Their hosts are judged more strictly and restored first in an emergency.'),
  },
  {
    measureId: 'prep.reporting', path: '/readiness/reporting',
    title: t('Meldepflichten und Behördenkontakte klären', 'Clarify reporting duties and authority contacts'),
    why: t('Fristen wie die 72 Stunden der DSGVO laufen ab dem Moment der Kenntnis.', 'Deadlines such as the GDPR\'s 72 hours run from the moment you become aware.'),
  },
]
