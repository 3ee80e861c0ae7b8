// Evidence: ask the agents of affected hosts to collect the evidence set (read-only), follow each request, and the stored
// files with size, SHA-256, collector and how often each was accessed; each download is recorded.
import { useState } from 'preact/hooks'
import { EVIDENCE_HOURS, EVIDENCE_ITEM_LABEL, EVIDENCE_ITEMS, EVIDENCE_STATE_LABEL, type EvidenceItem } from '@lagebild/shared'
import type { IncidentDetail } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { agentName, agentText, Card, ErrorBox, StatusIcon } from '../../components.js'
import { Check, TextField } from '../readiness/fields.js'
import { act } from './data.js'

function RequestForm({ d }: { d: IncidentDetail }) {
  const { t, tx } = useI18n()
  const submit = useSubmit()
  const [hostIds, setHostIds] = useState(d.incident.hosts.map((h) => h.id))
  const [hours, setHours] = useState(String(EVIDENCE_HOURS.default))
  const [items, setItems] = useState<EvidenceItem[]>([...EVIDENCE_ITEMS])
  const send = () => {
    const n = Number(hours)
    if (!hostIds.length) return submit.fail(t('inc.ev.noHosts'))
    if (!Number.isInteger(n) || n < EVIDENCE_HOURS.min || n > EVIDENCE_HOURS.max) return submit.fail(t('inc.ev.hoursRange', { min: EVIDENCE_HOURS.min, max: EVIDENCE_HOURS.max }))
    void submit.run(() => act(d.incident.id, '/evidence', { hostIds, hours: n, items }), t('inc.ev.requested'))
  }
  return (
    <div class="record-form evidence-form">
      <div class="checks">
        {d.incident.hosts.map((h) => (
          <Check key={h.id} name={`ev-host-${h.hostname}`} label={`${agentName(h.hostname)}${h.connected ? '' : ` (${t('inc.ev.offline')})`}`} checked={hostIds.includes(h.id)} set={(on) => setHostIds(on ? [...hostIds, h.id] : hostIds.filter((x) => x !== h.id))} />
        ))}
      </div>
      <div class="form-grid">
        <TextField label={t('inc.ev.hours')} name="hours" type="number" min={EVIDENCE_HOURS.min} max={EVIDENCE_HOURS.max} value={hours} set={setHours} maxLength={3} />
      </div>
      <details>
        <summary class="small">{t('inc.ev.items')}</summary>
        <div class="checks">
          {EVIDENCE_ITEMS.map((i) => <Check key={i} name={`item-${i}`} label={tx(EVIDENCE_ITEM_LABEL[i])} checked={items.includes(i)} set={(on) => setItems(on ? [...items, i] : items.filter((x) => x !== i))} />)}
        </div>
      </details>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" disabled={submit.busy} onClick={send}>{t('inc.ev.request')}</button>
        {submit.done && <span class="yes-good" role="status"><StatusIcon status="ok" size={14} /> {submit.done}</span>}
      </div>
      {submit.error && <ErrorBox error={submit.error} action="save" />}
    </div>
  )
}

const size = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`)

export function EvidenceCard({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const ev = d.evidence
  return (
    <Card title={t('inc.evidence')} id="evidence">
      <p class="small muted">{t('inc.ev.help')}</p>
      {isAdmin && d.incident.state !== 'closed' && (d.incident.hosts.length ? <RequestForm d={d} /> : <p class="small">{t('inc.ev.noHosts')}</p>)}
      {ev.requests.length > 0 && (
        <ul class="evidence-requests">
          {ev.requests.map((r) => (
            <li key={r.id} data-request-state={r.state} data-host={r.hostname}>
              <StatusIcon status={r.state === 'complete' ? 'ok' : r.state === 'failed' ? 'deviation' : 'unknown'} size={14} />
              <strong>{agentName(r.hostname)}</strong> · {tx(EVIDENCE_STATE_LABEL[r.state])} · {t('inc.ev.lastHours', { n: r.hours })} · <span class="small muted">{date(r.requestedAt)} · {r.requestedBy}</span>
              {r.results?.filter((x) => !x.ok).map((x) => <div key={x.item} class="small field-error">{tx(EVIDENCE_ITEM_LABEL[x.item as EvidenceItem])}: {agentText(x.error ?? '', 2000)}</div>)}
            </li>
          ))}
        </ul>
      )}
      {ev.items.length > 0 && (
        <table class="table evidence-items">
          <thead><tr><th>{t('inc.ev.file')}</th><th>{t('inc.ev.size')}</th><th>SHA-256</th><th>{t('inc.ev.collected')}</th><th>{t('inc.ev.accesses')}</th></tr></thead>
          <tbody>
            {ev.items.map((f) => (
              <tr key={f.id} data-item={f.item}>
                <td>
                  <a href={`/api/v1/evidence/${f.id}/file`} download={f.name}>{tx(EVIDENCE_ITEM_LABEL[f.item])}</a>
                  <div class="small muted">{agentName(f.hostname)}{f.truncated && ` · ${t('inc.ev.truncated')}`}</div>
                </td>
                <td class="num">{size(f.size)}</td>
                <td><code class="hash" title={f.sha256}>{f.sha256.slice(0, 16)}…</code></td>
                <td class="small">{date(f.collectedAt)}<div class="muted">{f.collector}</div></td>
                <td class="num">{f.downloads}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  )
}
