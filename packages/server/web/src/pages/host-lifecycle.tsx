// A host's access (admins): its agents — who enrolled when, last report, revoked and why — and the end of its life:
// revoke the agent (a new one may enroll), retire the host keeping its history, or delete it with all its data.
import { useState } from 'preact/hooks'
import { api, type AgentList, type HostDetail, type LifecycleOut } from '../api.js'
import { useLoad, useSubmit } from '../hooks.js'
import { useLive } from '../live.js'
import { useI18n } from '../i18n.js'
import { navigate } from '../router.js'
import { agentName, ErrorBox, Loading } from '../components.js'
import { ConfirmButton } from '../actions.js'

type Host = HostDetail['host']

function Agents({ list }: { list: AgentList['agents'] }) {
  const { t, date, ago } = useI18n()
  if (!list.length) return <p class="muted small">{t('lifecycle.agents.none')}</p>
  return (
    <ul class="agents" data-list="agents">
      {list.map((a) => (
        <li key={a.id} data-agent={a.id} data-state={a.revokedAt ? 'revoked' : 'active'}>
          <code class="small">{a.id.slice(0, 8)}</code>{' '}
          {a.revokedAt ? (
            <span class="state state-revoked">{t(`lifecycle.reason.${a.revokedReason ?? 'agent-revoked'}`, { when: date(a.revokedAt) })}</span>
          ) : (
            <span class="state state-active">{t('lifecycle.agent.active')}</span>
          )}
          <div class="small muted">
            {t('lifecycle.agent.enrolled', { when: date(a.createdAt) })} · {t('lifecycle.agent.lastSeen', { when: ago(a.lastSeenAt) })}
          </div>
        </li>
      ))}
    </ul>
  )
}

export function HostLifecycle({ host, onChanged }: { host: Host; onChanged: () => void }) {
  const { t, date } = useI18n()
  const agents = useLoad(`agents:${host.id}`, () => api<AgentList>(`/hosts/${encodeURIComponent(host.id)}/agents`))
  // A new agent may enroll for this host while the page is open (an allowed request, a token that may replace).
  useLive(agents.reload, (e) => e.type === 'host-updated' && e.hostId === host.id, 1000)
  const submit = useSubmit()
  const [purge, setPurge] = useState(false)
  const url = `/hosts/${encodeURIComponent(host.id)}`
  const active = agents.data?.agents.some((a) => !a.revokedAt) ?? false
  const done = () => (agents.reload(), onChanged())
  const revoke = () => void submit.run(() => api<LifecycleOut>(`${url}/revoke-agent`, { method: 'POST', body: {} }).then(done), t('lifecycle.revoked'))
  const retire = () =>
    void submit.run(async () => {
      await api<LifecycleOut>(`${url}/retire`, { method: 'POST', body: { purge } })
      if (purge) navigate('/hosts')
      else done()
    }, t(purge ? 'lifecycle.purged' : 'lifecycle.retiredDone'))
  return (
    <div class="host-lifecycle">
      {host.retiredAt && <p class="notice" data-retired>{t('lifecycle.retiredAt', { when: date(host.retiredAt) })}</p>}
      <h3 class="small-head">{t('lifecycle.agents')}</h3>
      {agents.data ? <Agents list={agents.data.agents} /> : agents.error ? <ErrorBox error={agents.error} retry={agents.reload} /> : <Loading />}
      {active && (
        <div class="lifecycle-action">
          <ConfirmButton label={t('lifecycle.revoke')} question={t('lifecycle.revoke.q')} confirm={t('lifecycle.revoke')} busy={submit.busy} onConfirm={revoke} />
          <p class="small muted">{t('lifecycle.revoke.help')}</p>
        </div>
      )}
      {(!host.retiredAt || purge) && (
        <div class="lifecycle-action">
          <fieldset class="radio-row">
            <legend class="small">{t('lifecycle.retire.what')}</legend>
            <label class="check">
              <input type="radio" name={`purge-${host.id}`} checked={!purge} onChange={() => setPurge(false)} /> {t('lifecycle.retire.keep')}
            </label>
            <label class="check">
              <input type="radio" name={`purge-${host.id}`} checked={purge} onChange={() => setPurge(true)} /> {t('lifecycle.retire.purge')}
            </label>
          </fieldset>
          <ConfirmButton
            label={t(purge ? 'lifecycle.purge' : 'lifecycle.retire')}
            question={t(purge ? 'lifecycle.purge.q' : 'lifecycle.retire.q', { name: agentName(host.hostname) })}
            confirm={t(purge ? 'lifecycle.purge' : 'lifecycle.retire')}
            busy={submit.busy}
            onConfirm={retire}
          />
        </div>
      )}
      {host.retiredAt && !purge && (
        <button type="button" class="btn btn-small btn-ghost" onClick={() => setPurge(true)}>
          {t('lifecycle.purgeRetired')}
        </button>
      )}
      {submit.done && <p class="yes-good" role="status">{submit.done}</p>}
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </div>
  )
}
