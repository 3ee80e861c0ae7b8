// Judging: facts + thresholds → findings. Pure; used by the server and by `lagebild-agent status`.
import { countOf, isFactError, type Text } from './common.js'
import type { FactId, Facts, FactValue } from './facts.js'
import { FACT_IDS } from './facts.js'
import type { Thresholds } from './measures.js'
import { SEVERITIES, type Finding, type Severity } from './findings.js'

const HOUR = 3_600_000
/**
 * A date this far in the future is no clock skew but a wrong date (a broken clock, a log read in the wrong time zone):
 * its age is unknown. Less than this is skew between the host's and the server's clock and counts as "just now".
 */
export const FUTURE_TOLERANCE_HOURS = 1
const t = (de: string, en: string): Text => ({ de, en })
/** Hours since `iso`; null when it is no real instant or lies in the future beyond clock skew. Never NaN, never negative. */
export function ageHours(iso: string, now: Date): number | null {
  const h = (now.getTime() - Date.parse(iso)) / HOUR
  if (!Number.isFinite(h) || h < -FUTURE_TOLERANCE_HOURS) return null
  return Math.max(0, h)
}
const fmtH = (h: number) => (h >= 48 ? `${Math.floor(h / 24)} d` : `${Math.floor(h)} h`)
const badDate = (what: Text, iso: string): Text =>
  t(`${what.de}: Datum unlesbar oder in der Zukunft (${iso}).`, `${what.en}: date unreadable or in the future (${iso}).`)

type Judgement = Omit<Finding, 'measureId'>
type Judge<K extends FactId> = (v: FactValue<K>, th: Thresholds, now: Date) => Judgement

const ok = (reason: Text): Judgement => ({ status: 'ok', severity: 'info', reason })
const dev = (severity: Severity, reason: Text, fix?: Text): Judgement => ({ status: 'deviation', severity, reason, ...(fix ? { fix } : {}) })
const unknown = (reason: Text): Judgement => ({ status: 'unknown', severity: 'low', reason })
/** Several parts could not be judged: one unknown that names them all. */
const unknownAll = (parts: Text[]): Judgement => unknown(t(parts.map((p) => p.de).join(' '), parts.map((p) => p.en).join(' ')))

/**
 * The age of the oldest pending security update, or null when it cannot be told: an update listed without a date
 * (already pending when the server first saw the host), a date that is no real instant, or fewer listed than counted.
 */
function securityAge(v: FactValue<'base.patches'>, now: Date): number | null {
  const listed = v.items.filter((i) => i.security)
  const ages = listed.map((i) => (i.since ? ageHours(i.since, now) : null))
  if (listed.length >= v.security && ages.every((a) => a !== null)) return Math.max(...(ages as number[]))
  return v.oldestPendingSince ? ageHours(v.oldestPendingSince, now) : null
}

const judges: { [K in FactId]: Judge<K> } = {
  // Every part must be known for ok: the list, the last check (else "0 pending" may be stale) and the restart state.
  'base.patches': (v, th, now) => {
    const problems: Judgement[] = []
    const unknowns: Text[] = []
    if (v.security > 0) {
      // A security update pending since an unknown time is not given the benefit of the doubt.
      const age = securityAge(v, now)
      if (age === null || age > th.securityUpdateMaxHours)
        problems.push(dev('high',
          t(`${countOf('de', v.security, ['Sicherheitsupdate', 'Sicherheitsupdates'])} ausstehend, ${age !== null ? `seit ${fmtH(age)}` : 'seit unbekannter Zeit'}.`, `${countOf('en', v.security, ['security update', 'security updates'])} pending, ${age !== null ? `for ${fmtH(age)}` : 'for an unknown time'}.`),
          t('Updates jetzt installieren und den Rechner neu starten.', 'Install the updates now and restart the computer.')))
    }
    if (v.pending > th.pendingUpdatesMax)
      problems.push(dev('medium', t(`${countOf('de', v.pending, ['Update', 'Updates'])} ausstehend (Grenze ${th.pendingUpdatesMax}).`, `${countOf('en', v.pending, ['update', 'updates'])} pending (limit ${th.pendingUpdatesMax}).`),
        t('Ausstehende Updates installieren.', 'Install the pending updates.')))
    const checkAge = v.lastCheck ? ageHours(v.lastCheck, now) : null
    if (!v.lastCheck)
      unknowns.push(t('Unklar, wann zuletzt nach Updates gesucht wurde; „0 ausstehend“ ist daher nicht belastbar.', 'Unclear when updates were last checked for, so "0 pending" cannot be trusted.'))
    else if (checkAge === null) unknowns.push(badDate(t('Letzte Suche nach Updates', 'Last check for updates'), v.lastCheck))
    else if (checkAge > th.updateCheckMaxHours)
      problems.push(dev('medium', t(`Letzte Suche nach Updates vor ${fmtH(checkAge)}.`, `Last check for updates ${fmtH(checkAge)} ago.`),
        t('Automatische Update-Suche prüfen (z. B. apt-daily.timer, Windows Update).', 'Check the automatic update check (e.g. apt-daily.timer, Windows Update).')))
    if (v.rebootRequired) {
      // Like updates: a restart pending since an unknown time is not given the benefit of the doubt.
      const age = v.rebootRequiredSince ? ageHours(v.rebootRequiredSince, now) : null
      if (age === null || age > th.rebootPendingMaxHours)
        problems.push(dev('medium', t(`Ein Neustart steht aus, damit Updates wirksam werden (${age !== null ? `seit ${fmtH(age)}` : 'seit unbekannter Zeit'}).`, `A restart is pending for updates to take effect (${age !== null ? `for ${fmtH(age)}` : 'for an unknown time'}).`),
          t('Rechner neu starten.', 'Restart the computer.')))
    } else if (v.rebootRequired === null) {
      unknowns.push(t('Ob ein Neustart für installierte Updates aussteht, ließ sich nicht feststellen.', 'Could not tell whether installed updates wait for a restart.'))
    }
    if (problems.length) return worst(problems)
    if (unknowns.length) return unknownAll(unknowns)
    return ok(t(`${countOf('de', v.pending, ['Update', 'Updates'])} ausstehend, keine Sicherheitsupdates überfällig.`, `${countOf('en', v.pending, ['update', 'updates'])} pending, no security update overdue.`))
  },
  'base.antimalware': (v, th, now) => {
    if (v.products.length === 0)
      return dev('high', t('Kein Virenschutz gefunden.', 'No anti-malware found.'), t('Einen Virenschutz installieren und einschalten.', 'Install and enable anti-malware.'))
    const active = v.products.filter((p) => p.enabled === true)
    if (active.length === 0) {
      if (v.products.some((p) => p.enabled === null)) return unknown(t('Ob der Virenschutz läuft, ließ sich nicht feststellen.', 'Could not tell whether anti-malware is running.'))
      return dev('high', t(`Virenschutz ausgeschaltet: ${v.products.map((p) => p.name).join(', ')}.`, `Anti-malware switched off: ${v.products.map((p) => p.name).join(', ')}.`),
        t('Virenschutz einschalten.', 'Switch anti-malware on.'))
    }
    const best = active[0]!
    if (best.realTime === false)
      return dev('high', t(`${best.name}: Echtzeitschutz ist aus.`, `${best.name}: real-time protection is off.`), t('Echtzeitschutz einschalten.', 'Switch real-time protection on.'))
    const updateFix = t('Signaturen aktualisieren und die automatische Aktualisierung prüfen.', 'Update the signatures and check automatic updates.')
    let signatures: Text
    if (best.signatureUpdated) {
      const age = ageHours(best.signatureUpdated, now)
      if (age === null) return unknown(badDate(t(`${best.name}: Signaturen`, `${best.name}: signatures`), best.signatureUpdated))
      // Apple ships XProtect definitions every one to four weeks, not daily: it has its own limit.
      const limit = best.name === 'XProtect' ? th.xprotectMaxHours : th.signatureMaxHours
      if (age > limit)
        return dev('high', t(`${best.name}: Signaturen sind ${fmtH(age)} alt.`, `${best.name}: signatures are ${fmtH(age)} old.`), updateFix)
      signatures = t(`Signaturen ${fmtH(age)} alt`, `signatures ${fmtH(age)} old`)
    } else if (best.signaturesUpToDate === false) {
      // Products without a date (Windows Security Center) still say whether they are current.
      return dev('high', t(`${best.name}: Signaturen veraltet (laut Produkt).`, `${best.name}: signatures out of date (as reported by the product).`), updateFix)
    } else if (best.signaturesUpToDate === true) {
      signatures = t('Signaturen aktuell (laut Produkt)', 'signatures current (as reported by the product)')
    } else {
      return unknown(t(`${best.name}: Alter der Signaturen unbekannt.`, `${best.name}: signature age unknown.`))
    }
    if (best.realTime === null) return unknown(t(`${best.name}: Zustand des Echtzeitschutzes unbekannt.`, `${best.name}: real-time protection state unknown.`))
    return ok(t(`${best.name} aktiv, ${signatures.de}.`, `${best.name} active, ${signatures.en}.`))
  },
  'base.firewall': (v) => {
    if (v.profiles.length === 0)
      return dev('high', t('Keine Firewall gefunden.', 'No firewall found.'), t('Die Firewall des Betriebssystems einschalten.', 'Switch on the operating system firewall.'))
    const off = v.profiles.filter((p) => p.enabled === false)
    if (off.length)
      return dev('high', t(`Firewall aus: ${off.map((p) => p.name).join(', ')}.`, `Firewall off: ${off.map((p) => p.name).join(', ')}.`),
        t('Firewall für alle Profile einschalten.', 'Switch the firewall on for every profile.'))
    const allow = v.profiles.filter((p) => p.defaultInbound === 'allow')
    if (allow.length)
      return dev('medium', t(`Eingehende Verbindungen standardmäßig erlaubt: ${allow.map((p) => p.name).join(', ')}.`, `Inbound connections allowed by default: ${allow.map((p) => p.name).join(', ')}.`),
        t('Eingehend standardmäßig blockieren, nur Nötiges freigeben.', 'Block inbound by default, allow only what is needed.'))
    if (v.profiles.some((p) => p.enabled === null || p.defaultInbound === 'unknown'))
      return unknown(t('Zustand der Firewall nicht vollständig lesbar.', 'Firewall state could not be read completely.'))
    return ok(t(`Firewall an (${v.backend}), eingehend blockiert.`, `Firewall on (${v.backend}), inbound blocked.`))
  },
  'base.backups': (v, th, now) => {
    if (v.sources.length === 0)
      return dev('high', t('Keine Datensicherung gefunden.', 'No backup found.'), t('Eine Datensicherung einrichten und im Agenten eintragen.', 'Set up a backup and add it to the agent config.'))
    const stale: string[] = []
    const unread: string[] = []
    let newest: number | null = null
    for (const s of v.sources) {
      if (s.error) { unread.push(s.location); continue }
      if (!s.lastSuccess) { stale.push(`${s.kind} ${s.location}: —`); continue }
      const age = ageHours(s.lastSuccess, now)
      if (age === null) { unread.push(`${s.location} (${s.lastSuccess})`); continue }
      newest = newest === null ? age : Math.min(newest, age)
      if (age > th.backupMaxHours) stale.push(`${s.kind} ${s.location}: ${fmtH(age)}`)
    }
    if (stale.length)
      return dev('high', t(`Sicherung zu alt oder fehlt: ${stale.join('; ')}.`, `Backup too old or missing: ${stale.join('; ')}.`),
        t('Sicherung prüfen und jetzt ausführen.', 'Check the backup job and run it now.'))
    if (unread.length || newest === null) return unknown(t(`Sicherung nicht lesbar: ${unread.join(', ')}.`, `Backup could not be read: ${unread.join(', ')}.`))
    return ok(t(`Neueste Sicherung ${fmtH(newest)} alt.`, `Newest backup ${fmtH(newest)} old.`))
  },
  'base.encryption': (v) => {
    const sys = v.volumes.find((x) => x.system)
    if (!sys) return unknown(t('Systemlaufwerk nicht gefunden.', 'System volume not found.'))
    if (sys.encrypted === null) return unknown(t(`Verschlüsselung von ${sys.mount} unbekannt.`, `Encryption of ${sys.mount} unknown.`))
    if (!sys.encrypted)
      return dev('medium', t(`Systemlaufwerk ${sys.mount} ist nicht verschlüsselt.`, `System volume ${sys.mount} is not encrypted.`),
        t('Verschlüsselung einschalten (BitLocker, FileVault, LUKS).', 'Enable encryption (BitLocker, FileVault, LUKS).'))
    return ok(t(`Systemlaufwerk verschlüsselt${sys.method ? ` (${sys.method})` : ''}.`, `System volume encrypted${sys.method ? ` (${sys.method})` : ''}.`))
  },
  'base.user-rights': (v) => {
    const daily = v.members.filter((x) => x.kind !== 'group' && !x.builtin && x.dailyUse === true)
    if (daily.length)
      return dev('medium', t(`Tägliche Konten mit Adminrechten: ${daily.map((x) => x.name).join(', ')}.`, `Daily accounts with admin rights: ${daily.map((x) => x.name).join(', ')}.`),
        t('Für die tägliche Arbeit ein Konto ohne Adminrechte nutzen.', 'Use an account without admin rights for daily work.'))
    if (v.members.some((x) => x.kind !== 'group' && !x.builtin && x.dailyUse === null))
      return unknown(t('Ob Admin-Konten täglich genutzt werden, ließ sich nicht feststellen.', 'Could not tell whether admin accounts are used daily.'))
    return ok(t(`${countOf('de', v.members.length, ['Mitglied', 'Mitglieder'])} der Administratoren, keine täglichen Konten.`, `${countOf('en', v.members.length, ['member', 'members'])} of administrators, no daily accounts.`))
  },
  'base.passwords': (v, th) => {
    const problems: Judgement[] = []
    if (v.accountsWithoutPassword?.length)
      problems.push(dev('high', t(`Konten ohne Passwort: ${v.accountsWithoutPassword.join(', ')}.`, `Accounts without password: ${v.accountsWithoutPassword.join(', ')}.`),
        t('Passwort setzen oder Konto sperren.', 'Set a password or lock the account.')))
    if (v.passwordNotRequired?.length)
      problems.push(dev('medium',
        t(`Konten, die ein leeres Passwort haben dürfen: ${v.passwordNotRequired.join(', ')}.`, `Accounts allowed to have an empty password: ${v.passwordNotRequired.join(', ')}.`),
        t('Für diese Konten ein Passwort verlangen (als Administrator: net user <Konto> /passwordreq:yes) und eines setzen, oder das Konto deaktivieren.',
          'Require a password for these accounts (as administrator: net user <account> /passwordreq:yes) and set one, or disable the account.')))
    if (v.guestEnabled)
      problems.push(dev('medium', t('Das Gastkonto ist aktiv.', 'The guest account is enabled.'), t('Gastkonto deaktivieren.', 'Disable the guest account.')))
    if (v.defaultAccountsEnabled?.length)
      problems.push(dev('medium', t(`Standardkonten aktiv: ${v.defaultAccountsEnabled.join(', ')}.`, `Default accounts enabled: ${v.defaultAccountsEnabled.join(', ')}.`),
        t('Standardkonten deaktivieren oder umbenennen und sichern.', 'Disable default accounts or secure them.')))
    if (v.minPasswordLength !== null && v.minPasswordLength < th.minPasswordLength)
      problems.push(dev('low', t(`Mindestlänge für Passwörter ist ${v.minPasswordLength} (empfohlen ${th.minPasswordLength}).`, `Minimum password length is ${v.minPasswordLength} (recommended ${th.minPasswordLength}).`),
        t('Passwortrichtlinie verschärfen.', 'Tighten the password policy.')))
    if (v.screenLockSeconds !== null && (v.screenLockSeconds === 0 || v.screenLockSeconds > th.screenLockMaxSeconds))
      problems.push(dev('low', t('Bildschirmsperre fehlt oder greift zu spät.', 'Screen lock is missing or too late.'),
        t(`Bildschirmsperre nach höchstens ${th.screenLockMaxSeconds / 60} Minuten.`, `Lock the screen after at most ${th.screenLockMaxSeconds / 60} minutes.`)))
    if (problems.length) return worst(problems)
    // Every part must be known for ok. The account check counts as done when either list was read: accountsWithoutPassword
    // where empty passwords can be seen (Linux shadow), passwordNotRequired where only "empty allowed" can (Windows).
    // The guest account being readable does not make up for it.
    const unknowns: Text[] = []
    if (v.accountsWithoutPassword === null && v.passwordNotRequired === undefined)
      unknowns.push(t('Ob Konten ohne Passwort existieren, ließ sich nicht feststellen.', 'Could not tell whether accounts without a password exist.'))
    if (v.guestEnabled === null) unknowns.push(t('Ob das Gastkonto aktiv ist, ließ sich nicht feststellen.', 'Could not tell whether the guest account is enabled.'))
    if (v.minPasswordLength === null) unknowns.push(t('Die Mindestlänge für Passwörter ließ sich nicht feststellen.', 'Could not tell the minimum password length.'))
    // A machine without any local desktop (a server at a console) has no screen to lock: that part does not apply.
    const noScreen = v.screenLockSeconds === null && v.localDesktop === false
    if (v.screenLockSeconds === null && !noScreen) unknowns.push(t('Ob und wann der Bildschirm sperrt, ließ sich nicht feststellen.', 'Could not tell whether and when the screen locks.'))
    if (unknowns.length) return unknownAll(unknowns)
    const policy = noScreen
      ? t(`Mindestlänge ${v.minPasswordLength}, keine grafische Anmeldung (Bildschirmsperre entfällt).`, `minimum length ${v.minPasswordLength}, no graphical login (no screen lock needed).`)
      : t(`Mindestlänge ${v.minPasswordLength}, Bildschirmsperre nach ${v.screenLockSeconds} s.`, `minimum length ${v.minPasswordLength}, screen lock after ${v.screenLockSeconds} s.`)
    if (v.accountsWithoutPassword === null)
      return ok(t(`Kein Gastkonto, kein Konto darf ein leeres Passwort haben, ${policy.de}`, `No guest account, no account is allowed an empty password, ${policy.en}`))
    return ok(t(`Kein Gastkonto, keine Konten ohne Passwort, ${policy.de}`, `No guest account, no accounts without password, ${policy.en}`))
  },
  'base.segmentation': (v) => {
    const risky = v.listening.filter((x) => x.risky)
    if (risky.length)
      return dev('medium', t(`Riskante Dienste im Netz erreichbar: ${risky.map((x) => `${x.risky} (${x.port})`).join(', ')}.`, `Risky services reachable from the network: ${risky.map((x) => `${x.risky} (${x.port})`).join(', ')}.`),
        t('Dienst abschalten oder per Firewall auf nötige Quellen begrenzen.', 'Switch the service off or restrict it to the sources that need it.'))
    return ok(t(`${countOf('de', v.listening.length, ['Dienst', 'Dienste'])} im Netz erreichbar, keiner riskant.`, `${countOf('en', v.listening.length, ['service', 'services'])} reachable from the network, none risky.`))
  },
  'base.inventory': (v) => ok(t(`${v.osName} ${v.osVersion}${v.model ? `, ${v.model}` : ''}.`, `${v.osName} ${v.osVersion}${v.model ? `, ${v.model}` : ''}.`)),
}

const rank = (s: Severity) => SEVERITIES.indexOf(s)
/** The most severe of several deviations, with every reason joined (both languages). */
export function worst(list: Judgement[]): Judgement {
  const sorted = [...list].sort((a, b) => rank(b.severity) - rank(a.severity))
  const top = sorted[0]!
  if (list.length === 1) return top
  return { ...top, reason: { de: sorted.map((x) => x.reason.de).join(' '), en: sorted.map((x) => x.reason.en).join(' ') } }
}

/** Judges one fact slot. A missing slot or an error is unknown — never ok. */
export function evaluateFact<K extends FactId>(id: K, slot: Facts[K] | undefined, th: Thresholds, now: Date): Finding {
  if (slot === undefined) return { measureId: id, ...unknown(t('Noch keine Daten.', 'No data yet.')) }
  if (isFactError(slot)) {
    const { code, message } = slot.error
    if (code === 'not-supported') return { measureId: id, status: 'not-applicable', severity: 'info', reason: t(`Auf diesem System nicht anwendbar: ${message}`, `Not applicable on this system: ${message}`) }
    return { measureId: id, ...unknown(t(`Konnte nicht gelesen werden (${code}): ${message}`, `Could not be read (${code}): ${message}`)) }
  }
  return { measureId: id, ...(judges[id] as Judge<K>)(slot as FactValue<K>, th, now) }
}

/** Judges every agent measure of one host. */
export function evaluateFacts(facts: Facts, th: Thresholds, now: Date): Finding[] {
  return FACT_IDS.map((id) => evaluateFact(id, facts[id], th, now))
}
