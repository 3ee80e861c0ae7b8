// The board's texts about PCs that are enrolled already and ask to enroll again (German and English); merged into the
// one dictionary in i18n.ts.
type Plural = { one: string; other: string }

export const REENROLL_DE = {
  'rq.notice': { one: '{n} PC, der schon angemeldet ist, bittet um eine neue Anmeldung:', other: '{n} PCs, die schon angemeldet sind, bitten um eine neue Anmeldung:' } as Plural,
  'rq.notice.decide': 'auf der Rechnerseite erlauben oder ablehnen',
  'rq.title': 'Dieser PC möchte sich neu anmelden',
  'rq.titleAllowed': 'Neue Anmeldung erlaubt',
  'rq.explain':
    'Auf einem PC mit der Maschinen-ID dieses Rechners wurde die Installationszeile (oder lagebild-agent enroll) ausgeführt, und sie wartet. ' +
    'Erlauben Sie es nur, wenn dieser PC gerade neu eingerichtet wird: Dann ersetzt der neue Agent den bisherigen, der ab sofort abgelehnt wird. ' +
    'Wissen Sie nichts davon, lehnen Sie ab – eine Maschinen-ID ist kein Geheimnis.',
  'rq.reported': 'Meldet sich als',
  'rq.from': 'Von Adresse',
  'rq.asked': 'Gefragt',
  'rq.token': 'Mit Anmeldeschlüssel',
  'rq.token.by': 'erzeugt von {who}, {when}',
  'rq.token.unknown': 'unbekannt',
  'rq.expires': 'Verfällt',
  'rq.lastSeen': 'Der PC fragt alle paar Sekunden nach, zuletzt {when}.',
  'rq.allow': 'Erlauben',
  'rq.allow.q': 'Der neue Agent ersetzt den bisherigen Agenten dieses Rechners; der bisherige wird sofort abgelehnt.',
  'rq.refuse': 'Ablehnen',
  'rq.allowedBy': 'Erlaubt von {who}. Der wartende PC meldet sich in den nächsten Sekunden an (möglich bis {until}).',
  'rq.allowedDone': 'Erlaubt.',
  'rq.refusedDone': 'Abgelehnt. Der wartende PC erfährt es; am Rechner hat sich nichts geändert.',
  'rq.viewer': 'Nur ein Admin kann das erlauben oder ablehnen.',
  'enroll.reenroll':
    'Schon angemeldeter PC (neu installiert, oder der PC dieses Servers nach npm start)? Die Zeile trotzdem einfügen: Sie wartet, bis ein Admin ' +
    'die neue Anmeldung auf der Rechnerseite erlaubt – die Anfrage erscheint dort und in der Rechnerliste.',
}

export const REENROLL_EN: Record<keyof typeof REENROLL_DE, string | Plural> = {
  'rq.notice': { one: '{n} PC that is enrolled already asks to enroll again:', other: '{n} PCs that are enrolled already ask to enroll again:' },
  'rq.notice.decide': 'allow or refuse on the host page',
  'rq.title': 'This PC asks to enroll again',
  'rq.titleAllowed': 'New enrollment allowed',
  'rq.explain':
    'The install line (or lagebild-agent enroll) was run on a PC with this host\'s machine id, and it is waiting. ' +
    'Allow it only if this PC is being set up again right now: the new agent then replaces the current one, which is refused from then on. ' +
    'If you know nothing about it, refuse — a machine id is no secret.',
  'rq.reported': 'Reports itself as',
  'rq.from': 'From address',
  'rq.asked': 'Asked',
  'rq.token': 'With enrollment token',
  'rq.token.by': 'created by {who}, {when}',
  'rq.token.unknown': 'unknown',
  'rq.expires': 'Expires',
  'rq.lastSeen': 'The PC asks again every few seconds, last {when}.',
  'rq.allow': 'Allow',
  'rq.allow.q': 'The new agent replaces this host\'s current agent; the current one is refused at once.',
  'rq.refuse': 'Refuse',
  'rq.allowedBy': 'Allowed by {who}. The waiting PC enrolls within seconds (possible until {until}).',
  'rq.allowedDone': 'Allowed.',
  'rq.refusedDone': 'Refused. The waiting PC is told so; nothing changed for this host.',
  'rq.viewer': 'Only an admin can allow or refuse this.',
  'enroll.reenroll':
    'A PC that is enrolled already (reinstalled, or this server\'s own PC after npm start)? Paste the line anyway: it waits until an admin ' +
    'allows the new enrollment on the host page — the request shows there and in the host list.',
}
