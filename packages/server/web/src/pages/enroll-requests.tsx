// PCs that are enrolled already and ask to enroll again (the re-enroll rule): on the host page prominently, with
// Allow / Refuse for admins and read-only for viewers; in the host list and on the overview as a notice with links.
import { api, qs, type EnrollRequestList, type EnrollRequestOut } from '../api.js'
import { useLoad, useSubmit } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n } from '../i18n.js'
import { useIsAdmin } from '../session.js'
import { ErrorBox, Facts, Link } from '../components.js'
import { ConfirmButton } from '../actions.js'

/** The live requests (all hosts, or one), refetched whenever one arrives, is decided or is used. */
function useRequests(hostId?: string) {
  const list = useLoad(`enroll-requests:${hostId ?? '*'}`, () => api<EnrollRequestList>(`/enroll-requests${qs({ hostId })}`))
  useLive(list.reload, (e) => (e.type === 'enroll-request' || e.type === 'host-updated') && (!hostId || e.hostId === hostId))
  return list
}

function Decide({ r, onDone }: { r: EnrollRequestOut; onDone: () => void }) {
  const { t } = useI18n()
  const submit = useSubmit()
  const decide = (verb: 'approve' | 'refuse', done: string) =>
    void submit.run(() => api<EnrollRequestOut>(`/enroll-requests/${encodeURIComponent(r.id)}/${verb}`, { method: 'POST', body: {} }).then(onDone), done)
  return (
    <div class="rq-actions">
      <ConfirmButton label={t('rq.allow')} question={t('rq.allow.q')} confirm={t('rq.allow')} danger={false} busy={submit.busy} onConfirm={() => decide('approve', t('rq.allowedDone'))} />{' '}
      <button type="button" class="btn btn-small btn-danger" disabled={submit.busy} onClick={() => decide('refuse', t('rq.refusedDone'))}>
        {t('rq.refuse')}
      </button>
      {submit.done && <p class="yes-good" role="status">{submit.done}</p>}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </div>
  )
}

function Request({ r, admin, onDone }: { r: EnrollRequestOut; admin: boolean; onDone: () => void }) {
  const { t, date, ago } = useI18n()
  const allowed = r.state === 'approved'
  return (
    <section class="notice rq" role="alert" data-enroll-request={r.id} data-state={r.state}>
      <h2 class="rq-title">{t(allowed ? 'rq.titleAllowed' : 'rq.title')}</h2>
      {allowed ? <p>{t('rq.allowedBy', { who: r.decidedBy ?? '—', until: date(r.expiresAt) })}</p> : <p class="small">{t('rq.explain')}</p>}
      <Facts
        rows={[
          [t('rq.reported'), `${r.hostname} · ${r.osName}`],
          [t('rq.from'), r.ip ?? '—'],
          [t('rq.asked'), date(r.createdAt)],
          [t('rq.token'), <><code>{r.tokenId.slice(0, 8)}</code> {t('rq.token.by', { who: r.token.createdBy ?? t('rq.token.unknown'), when: date(r.token.createdAt) })}{r.token.tags.length ? ` · ${r.token.tags.join(', ')}` : ''}</>],
          [t('rq.expires'), date(r.expiresAt)],
        ]}
      />
      {!allowed && <p class="small muted">{t('rq.lastSeen', { when: ago(r.lastSeenAt) })}</p>}
      {!allowed && (admin ? <Decide r={r} onDone={onDone} /> : <p class="small muted">{t('rq.viewer')}</p>)}
    </section>
  )
}

/** On the host page, above everything else: what asks, and the decision. */
export function HostEnrollRequests({ hostId }: { hostId: string }) {
  const admin = useIsAdmin()
  const list = useRequests(hostId)
  if (list.error) return <ErrorBox error={list.error} retry={list.reload} />
  if (!list.data?.requests.length) return null
  return (
    <div class="rq-list" id="enroll-requests">
      {list.data.requests.map((r) => (
        <Request key={r.id} r={r} admin={admin} onDone={list.reload} />
      ))}
    </div>
  )
}

/** In the host list and on the overview: which hosts have a request waiting for a decision. */
export function EnrollRequestsNotice() {
  const { t } = useI18n()
  const list = useRequests()
  const waiting = list.data?.requests.filter((r) => r.state === 'pending') ?? []
  if (!waiting.length) return null
  const hosts = [...new Map(waiting.map((r) => [r.hostId, r.currentHostname])).entries()]
  return (
    <p class="notice rq-notice" role="alert" data-enroll-requests={waiting.length}>
      {t('rq.notice', { n: waiting.length })}{' '}
      {hosts.map(([id, name], i) => (
        <span key={id}>
          {i > 0 && ', '}
          <Link href={`/hosts/${encodeURIComponent(id)}`}>{name}</Link>
        </span>
      ))}{' '}
      — {t('rq.notice.decide')}
    </p>
  )
}
