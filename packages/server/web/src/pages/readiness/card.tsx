// /card: the IT emergency card as a print-ready A4 page (print CSS), its PDF, and — for people signed in — on how many
// PCs the current card is. Readable without signing in unless the company turned that off.
import { CARD_QUESTIONS, CARD_RULES, CARD_TEXT, LANGUAGES, type Card as EmergencyCard, type CardPerson } from '@lagebild/shared'
import { api, ApiError } from '../../api.js'
import { useLoad } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { agentName, ErrorBox, Link, Loading } from '../../components.js'
import { ReadinessLayout } from './layout.js'
import { useReadiness } from './data.js'

/** A number to tap on a phone: digits and a leading + only. */
const tel = (n: string) => `tel:${n.replace(/[^+\d]/g, '')}`

function Person({ label, p, big }: { label: string; p: CardPerson; big?: boolean }) {
  const { tx } = useI18n()
  return (
    <div class={`card-person ${big ? 'card-person-big' : ''}`}>
      <div class="card-label">{label}</div>
      <div class="card-name">{p.name}{p.role && <span class="muted"> · {p.role}</span>}</div>
      {p.phone && <a class="card-phone" href={tel(p.phone)}>{p.phone}</a>}
      {p.mobile && <a class="card-phone card-mobile" href={tel(p.mobile)}>{p.mobile}</a>}
      {p.email && <div class="small">{p.email}</div>}
      <div class="small muted">{tx(p.hours)}</div>
    </div>
  )
}

export function CardSheet({ card }: { card: EmergencyCard }) {
  const { tx, date } = useI18n()
  return (
    <article class="emergency-card" data-version={card.version}>
      <header class="card-band">
        <h2>{tx(CARD_TEXT.title)}</h2>
        <p>{tx(CARD_TEXT.motto)}{card.company && ` · ${card.company}`}</p>
      </header>
      <section class="card-call">
        <h3>{tx(CARD_TEXT.call)}</h3>
        {card.firstContact ? (
          <>
            <Person label={tx(CARD_TEXT.firstContact)} p={card.firstContact} big />
            {card.deputies.map((d, i) => <Person key={i} label={tx(CARD_TEXT.deputy)} p={d} />)}
            {card.standby.map((s, i) => <Person key={`s${i}`} label={tx(CARD_TEXT.standby)} p={s} />)}
            {card.gaps && <p class="card-gaps">{tx(CARD_TEXT.gaps)}: {tx(card.gaps)}</p>}
          </>
        ) : (
          <p class="card-gaps">{tx(CARD_TEXT.noContact)}</p>
        )}
      </section>
      <div class="card-body">
        <div>
          <h3>{tx(CARD_TEXT.rules)}</h3>
          <ol>{CARD_RULES.map((r, i) => <li key={i}>{tx(r)}</li>)}</ol>
          <h3>{tx(CARD_TEXT.questions)}</h3>
          <ul>{CARD_QUESTIONS.map((q, i) => <li key={i}>{tx(q)}</li>)}</ul>
        </div>
        <figure class="card-qr">
          <img src="/api/v1/card/qr.svg" alt={tx(CARD_TEXT.report)} width="120" height="120" />
          <figcaption>{tx(CARD_TEXT.report)}</figcaption>
        </figure>
      </div>
      <footer class="small muted">{tx(CARD_TEXT.asOf)} {date(card.generatedAt)} · {tx(CARD_TEXT.source)}</footer>
    </article>
  )
}

function CardTools() {
  const { t } = useI18n()
  return (
    <div class="form-actions no-print">
      <button type="button" class="btn btn-primary" onClick={() => window.print()}>{t('rd.card.print')}</button>
      {LANGUAGES.map((l) => <a key={l} class="btn" href={`/api/v1/card.pdf?lang=${l}`} download>{t('rd.card.pdf', { lang: l.toUpperCase() })}</a>)}
    </div>
  )
}

/** Signed in: inside the board, with where the card is. */
export function CardPage() {
  const { t } = useI18n()
  const view = useReadiness()
  const d = view.data?.card
  return (
    <ReadinessLayout title={t('rd.card')} measures={['ready.card']}>
      <CardTools />
      {!d ? <Loading /> : (
        <>
          <p class="small no-print" data-distribution={`${d.distribution.current}/${d.distribution.total}`}>
            {t('rd.card.onPcs', { current: d.distribution.current, total: d.distribution.total })}
            {d.distribution.missing.length > 0 && ` · ${t('rd.card.missing', { list: d.distribution.missing.map((h) => agentName(h.hostname)).join(', ') })}`}
          </p>
          <CardSheet card={d.card} />
        </>
      )}
    </ReadinessLayout>
  )
}

/** Not signed in: the card alone (it hangs on every wall anyway), or a way to sign in when the company closed it. */
export function PublicCardPage({ langSwitch }: { langSwitch: preact.ComponentChildren }) {
  const { t } = useI18n()
  const card = useLoad('public-card', () => api<EmergencyCard>('/card', { quiet401: true }))
  const closed = card.error instanceof ApiError && card.error.status === 401
  return (
    <main class="page public-card">
      <div class="no-print public-head">{langSwitch}</div>
      {closed ? (
        <p>{t('rd.card.signIn')} <Link href="/login">{t('rd.card.signInLink')}</Link></p>
      ) : card.error ? <ErrorBox error={card.error} retry={card.reload} /> : !card.data ? <Loading /> : (
        <>
          <CardTools />
          <CardSheet card={card.data} />
        </>
      )}
    </main>
  )
}
