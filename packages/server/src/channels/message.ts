// The texts people read in a notification, in German and English. Subject like "[Lagebild] Firewall: ABWEICHUNG auf pc-buchhaltung".
// Host names and reasons carry agent text: it passes displayText here (invisible and direction-changing characters shown
// as [U+XXXX], lengths cut), and each channel escapes the result for its own markup (escapeSlack, Teams TextRun …).
import { displayText, type Language, type NotifyEvent, type Severity } from '@lagebild/shared'
import type { DigestPayload, Message, NotificationPayload } from './types.js'

const SEVERITY: Record<Language, Record<Severity, string>> = {
  de: { info: 'Info', low: 'niedrig', medium: 'mittel', high: 'hoch', critical: 'kritisch' },
  en: { info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
}

const L = {
  de: {
    deviation: 'ABWEICHUNG', resolved: 'BEHOBEN', on: 'auf', reminder: 'Erinnerung: ', escalation: 'ESKALATION: ',
    silent: 'Agent meldet sich nicht', silentBack: 'Agent meldet sich wieder',
    severity: 'Schweregrad', crown: 'Kronjuwel', org: 'Unternehmen', reason: 'Grund', fix: 'Abhilfe', since: 'Seit', link: 'Im Lagebild',
    openFor: (h: string) => `Seit ${h} offen und nicht bestätigt.`,
    escalated: (h: string) => `Diese Meldung geht an die Eskalationskanäle, weil sie seit ${h} niemand bestätigt hat.`,
    testSubject: '[Lagebild] Testnachricht',
    testText: 'Dies ist eine Testnachricht von Lagebild. Wenn sie ankommt, ist der Kanal richtig eingerichtet.',
  },
  en: {
    deviation: 'DEVIATION', resolved: 'RESOLVED', on: 'on', reminder: 'Reminder: ', escalation: 'ESCALATION: ',
    silent: 'Agent silent', silentBack: 'Agent reporting again',
    severity: 'Severity', crown: 'crown jewel', org: 'organisation', reason: 'Reason', fix: 'Fix', since: 'Since', link: 'In Lagebild',
    openFor: (h: string) => `Open and unacknowledged for ${h}.`,
    escalated: (h: string) => `This goes to the escalation channels because nobody has acknowledged it for ${h}.`,
    testSubject: '[Lagebild] Test message',
    testText: 'This is a test message from Lagebild. If it arrives, the channel is set up correctly.',
  },
} as const

const fmtTime = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`
const fmtHours = (h: number) => (h >= 48 ? `${Math.floor(h / 24)} d` : `${Math.max(1, Math.floor(h))} h`)

/** Reasons and fixes quote what agents reported (product, account, package names). */
const agentText = (s: string) => displayText(s, { multiline: true, max: 2000 })

/**
 * Slack's mrkdwn (and the Slack-compatible Mattermost, Rocket.Chat): &, < and > are the three characters Slack asks to
 * escape — `<!channel>`, `<@U…>` and `<https://evil|Click to fix>` become plain text. A Markdown link `[text](url)`
 * (Mattermost, Rocket.Chat) loses its meaning when `](` is split; `*`, `_`, `~` can only bold or strike, never link or ping.
 */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\]\(/g, '] (')

export function subjectOf(p: NotificationPayload, event: NotifyEvent, lang: Language): string {
  const t = L[lang]
  if (event === 'test') return t.testSubject
  // Findings of the organisation's records (subject org) belong to no host.
  const host = displayText(p.hostname ?? p.hostId ?? t.org, { max: 100 })
  const prefix = event === 'reminder' ? t.reminder : event === 'escalation' ? t.escalation : ''
  if (p.kind === 'silent') return `[Lagebild] ${prefix}${event === 'resolved' ? t.silentBack : t.silent}: ${host}`
  return `[Lagebild] ${prefix}${p.measureTitle[lang]}: ${event === 'resolved' ? t.resolved : t.deviation} ${t.on} ${host}`
}

export function render(p: NotificationPayload, event: NotifyEvent, lang: Language, deliveryId: string): Message {
  const t = L[lang]
  const subject = subjectOf(p, event, lang)
  if (event === 'test') return { deliveryId, event, language: lang, subject, text: t.testText, payload: p }
  const lines = [subject.replace(/^\[Lagebild\] /, ''), '']
  if (event !== 'resolved') lines.push(`${t.severity}: ${SEVERITY[lang][p.severity]}${p.crownJewel ? ` (${t.crown})` : ''}`)
  lines.push(`${t.reason}: ${agentText(p.reason[lang])}`)
  if (p.fix && event !== 'resolved') lines.push(`${t.fix}: ${agentText(p.fix[lang])}`)
  lines.push(`${t.since}: ${fmtTime(p.openedAt)}`)
  if (p.openHours !== null && event === 'reminder') lines.push('', t.openFor(fmtHours(p.openHours)))
  if (p.openHours !== null && event === 'escalation') lines.push('', t.escalated(fmtHours(p.openHours)))
  if (p.url) lines.push('', `${t.link}: ${p.url}`)
  return { deliveryId, event, language: lang, subject, text: lines.join('\n'), payload: p }
}

/** A message rendered when it was queued (the readiness digest, incident messages), in the channel's language (it carries both). */
export function renderDigest(p: DigestPayload, lang: Language, deliveryId: string, event: NotifyEvent = 'digest'): Message {
  return { deliveryId, event, language: lang, subject: p[lang].subject, text: p[lang].text, payload: null }
}
