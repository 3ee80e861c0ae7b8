import './style.css'
import { render } from 'preact'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { boardPageOf, CARD_PATH, LANGUAGES, USER_REPORT_PATH, matchPage, type BoardPage } from '@lagebild/shared'
import { api, ApiError, setCsrf, setUnauthorizedHandler, type Me } from './api.js'
import { I18nContext, initialLang, makeI18n, rememberLang, useI18n, type Lang } from './i18n.js'
import { navigate, useRoute } from './router.js'
import { startLive, stopLive, useLiveState } from './live.js'
import { Link, Loading } from './components.js'
import { MeContext } from './session.js'
import { LoginPage } from './pages/login.js'
import { OverviewPage } from './pages/overview.js'
import { HostsPage } from './pages/hosts.js'
import { HostPage } from './pages/host.js'
import { AlertsPage } from './pages/alerts.js'
import { EnrollPage } from './pages/enroll.js'
import { SettingsPage } from './pages/settings/page.js'
import { ReadinessHub } from './pages/readiness/hub.js'
import { PeoplePage } from './pages/readiness/people.js'
import { ProvidersPage } from './pages/readiness/providers.js'
import { PlanPage } from './pages/readiness/plan.js'
import { CrownJewelsPage } from './pages/readiness/crown-jewels.js'
import { LogsPage } from './pages/readiness/logs.js'
import { TechnicalPage } from './pages/readiness/technical.js'
import { ReportingPage } from './pages/readiness/reporting.js'
import { CardPage, PublicCardPage } from './pages/readiness/card.js'
import { IncidentsPage } from './pages/incidents/list.js'
import { IncidentPage } from './pages/incidents/page.js'
import { IncidentBanner } from './pages/incidents/banner.js'
import { PublicReportPage, ReportPage } from './pages/public/report.js'
import { AckPage } from './pages/public/ack.js'
import { AccessPage } from './pages/access/page.js'
import { AuditPage } from './pages/audit.js'

function LangSwitch() {
  const { lang, setLang, t } = useI18n()
  return (
    <div class="lang" role="group" aria-label={t('lang.switch')}>
      {LANGUAGES.map((l) => (
        <button type="button" key={l} class={l === lang ? 'on' : ''} aria-pressed={l === lang} title={t(`lang.${l}`)} lang={l} onClick={() => setLang(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  )
}

function LiveDot() {
  const up = useLiveState()
  const { t } = useI18n()
  return (
    <span class={`live ${up ? 'live-on' : 'live-off'}`} title={t(up ? 'live.onTitle' : 'live.offTitle')} data-live={up ? 'on' : 'off'}>
      <span class="live-dot" aria-hidden="true" />
      {t(up ? 'live.on' : 'live.off')}
    </span>
  )
}

function Layout({ me, onLogout, children }: { me: Me; onLogout: () => void; children: preact.ComponentChildren }) {
  const { t } = useI18n()
  const { path } = useRoute()
  const items = [
    { href: '/', label: t('nav.overview'), on: path === '/' },
    { href: '/hosts', label: t('nav.hosts'), on: path.startsWith('/hosts') },
    { href: '/alerts', label: t('nav.alerts'), on: path.startsWith('/alerts') },
    { href: '/incidents', label: t('nav.incidents'), on: path.startsWith('/incidents') },
    { href: '/readiness', label: t('nav.readiness'), on: path.startsWith('/readiness') || path === CARD_PATH },
    ...(me.user.role === 'admin'
      ? [
          { href: '/enroll', label: t('nav.enroll'), on: path.startsWith('/enroll') },
          // The audit log is reached from Access (tabs on both pages): the bar has no room for one more item.
          { href: '/access', label: t('nav.access'), on: path.startsWith('/access') || path.startsWith('/audit') },
          { href: '/settings', label: t('nav.settings'), on: path.startsWith('/settings') },
        ]
      : []),
  ]
  return (
    <div class="shell">
      <header class="top">
        <div class="top-inner">
          <Link href="/" class="brand" aria-label={t('app.name')}>
            <img src="/favicon.svg" alt="" width="26" height="26" />
            <span>{t('app.name')}</span>
          </Link>
          <nav aria-label={t('nav.menu')} class="nav">
            {items.map((i) => (
              <Link key={i.href} href={i.href} class={i.on ? 'on' : ''} aria-current={i.on ? 'page' : undefined}>
                {i.label}
              </Link>
            ))}
          </nav>
          <div class="top-right">
            <LiveDot />
            <LangSwitch />
            <span class="user" title={t(`role.${me.user.role}`)}>
              {me.user.username}
              <span class="role">{t(`role.${me.user.role}`)}</span>
            </span>
            <button type="button" class="btn btn-ghost btn-small" onClick={onLogout}>
              {t('user.logout')}
            </button>
          </div>
        </div>
      </header>
      <IncidentBanner />
      <main class="page">{children}</main>
    </div>
  )
}

function NotFound() {
  const { t } = useI18n()
  return (
    <div class="empty">
      <h1>{t('notFound.title')}</h1>
      <Link href="/" class="btn">
        {t('notFound.back')}
      </Link>
    </div>
  )
}

/** One view per page of the board (BOARD_PAGES, which the server also knows). */
const VIEWS: Record<BoardPage, (params: Record<string, string>) => preact.JSX.Element> = {
  '/': () => <OverviewPage />,
  // Logged in already: the login page is the overview.
  '/login': () => <OverviewPage />,
  '/hosts': () => <HostsPage />,
  '/hosts/:id': (p) => <HostPage id={p.id!} />,
  '/alerts': () => <AlertsPage />,
  '/alerts/:id': (p) => <AlertsPage focus={p.id!} />,
  '/enroll': () => <EnrollPage />,
  '/access': () => <AccessPage />,
  '/audit': () => <AuditPage />,
  '/settings': () => <SettingsPage />,
  '/readiness': () => <ReadinessHub />,
  '/readiness/people': () => <PeoplePage />,
  '/readiness/providers': () => <ProvidersPage />,
  '/readiness/plan': () => <PlanPage />,
  '/readiness/crown-jewels': () => <CrownJewelsPage />,
  '/readiness/logs': () => <LogsPage />,
  '/readiness/technical': () => <TechnicalPage />,
  '/readiness/reporting': () => <ReportingPage />,
  '/card': () => <CardPage />,
  '/incidents': () => <IncidentsPage />,
  '/incidents/:id': (p) => <IncidentPage id={p.id!} />,
  '/report': () => <ReportPage />,
  '/ack/:token': (p) => <AckPage token={p.token!} />,
}

function Routes() {
  const { path } = useRoute()
  const found = boardPageOf(path || '/')
  return found ? VIEWS[found.page](found.params) : <NotFound />
}

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang)
  const i18n = useMemo(
    () =>
      makeI18n(lang, (l) => {
        rememberLang(l)
        setLangState(l)
      }),
    [lang],
  )
  const [me, setMe] = useState<Me | null | undefined>(undefined)
  const [expired, setExpired] = useState(false)

  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe((old) => {
        if (old) setExpired(true)
        return null
      })
    })
    api<Me>('/auth/me', { quiet401: true }).then(
      (m) => {
        setCsrf(m.csrfToken)
        setMe(m)
      },
      (e: unknown) => {
        if (!(e instanceof ApiError && e.status === 401)) console.error(e)
        setMe(null)
      },
    )
  }, [])

  useEffect(() => {
    if (me) startLive()
    else stopLive()
  }, [me])

  const logout = async () => {
    try {
      await api('/auth/logout', { method: 'POST' })
    } finally {
      setCsrf('')
      setExpired(false)
      setMe(null)
    }
  }

  let body
  if (me === undefined) body = <div class="page"><Loading /></div>
  // The emergency card is for everybody at a PC, most of whom have no account.
  else if (me === null && location.pathname === CARD_PATH) body = <PublicCardPage langSwitch={<LangSwitch />} />
  // The report form behind the card's QR code and the alerting chain's personal links: for people without an account.
  else if (me === null && location.pathname === USER_REPORT_PATH) body = <PublicReportPage langSwitch={<LangSwitch />} />
  else if (me === null && matchPage('/ack/:token', location.pathname)) body = <AckPage token={matchPage('/ack/:token', location.pathname)!.token!} langSwitch={<LangSwitch />} />
  else if (me === null)
    body = (
      <LoginPage
        expired={expired}
        onLogin={(m) => {
          setCsrf(m.csrfToken)
          setExpired(false)
          setMe(m)
          if (location.pathname === '/login') navigate('/', true)
        }}
        langSwitch={<LangSwitch />}
      />
    )
  else
    body = (
      <MeContext.Provider value={me}>
        <Layout me={me} onLogout={logout}>
          <Routes />
        </Layout>
      </MeContext.Provider>
    )
  return <I18nContext.Provider value={i18n}>{body}</I18nContext.Provider>
}

render(<App />, document.getElementById('app')!)
