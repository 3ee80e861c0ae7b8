// The timeline: every entry with time, author, kind and its hash; a person adds notes, calls and decisions, and corrects
// an entry by a new one that names it (the old one stays). The integrity check says whether anything was changed.
import { useState } from 'preact/hooks'
import { AUTHORED_ENTRY_KINDS, TIMELINE_KIND_LABEL, type TimelineKind } from '@lagebild/shared'
import { api, type IncidentDetail } from '../../api.js'
import { useSubmit } from '../../hooks.js'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { agentName, agentText, Card, SaveRow, StatusIcon } from '../../components.js'
import { Choice, TextArea } from '../readiness/fields.js'
import { act } from './data.js'

type Entry = IncidentDetail['timeline'][number]

function EntryForm({ d, correcting, done }: { d: IncidentDetail; correcting: Entry | null; done: () => void }) {
  const { t } = useI18n()
  const submit = useSubmit()
  const [kind, setKind] = useState<(typeof AUTHORED_ENTRY_KINDS)[number]>(correcting && AUTHORED_ENTRY_KINDS.includes(correcting.kind as never) ? (correcting.kind as never) : 'note')
  const [text, setText] = useState('')
  const onSubmit = async (e: Event) => {
    e.preventDefault()
    if (!text.trim()) return submit.fail(t('inc.tl.empty'))
    if (await submit.run(() => act(d.incident.id, '/timeline', { kind, text, ...(correcting ? { correctsId: correcting.id } : {}) }), t('inc.tl.added'))) {
      setText('')
      done()
    }
  }
  return (
    <form class="record-form timeline-form" onSubmit={onSubmit} noValidate>
      {correcting && <p class="small">{t('inc.tl.correcting', { id: correcting.id })} <q>{agentText(correcting.text)}</q></p>}
      <div class="form-grid">
        <Choice label={t('inc.tl.kind')} name="kind" values={AUTHORED_ENTRY_KINDS} labels={TIMELINE_KIND_LABEL} value={kind} set={(v) => setKind(v ?? 'note')} />
      </div>
      <TextArea label={t('inc.tl.text')} name="text" value={text} set={setText} maxLength={4000} rows={3} />
      <SaveRow submit={submit} label={correcting ? t('inc.tl.correct') : t('inc.tl.add')}>
        {correcting && <button type="button" class="btn btn-ghost" onClick={done}>{t('common.cancel')}</button>}
      </SaveRow>
    </form>
  )
}

export function CheckLine({ d }: { d: IncidentDetail }) {
  const { t, date } = useI18n()
  const submit = useSubmit()
  // "Check now" hashes every file on the server; its answer stands until the page's data are newer.
  const [now, setNow] = useState<IncidentDetail['check'] | null>(null)
  const c = now && (now.filesCheckedAt ?? '') >= (d.check.filesCheckedAt ?? '') && now.entries >= d.check.entries ? now : d.check
  return (
    <p class={`integrity ${c.ok ? 'integrity-ok' : 'integrity-broken'}`} data-integrity={c.ok ? 'ok' : 'broken'} role={c.ok ? undefined : 'alert'}>
      <StatusIcon status={c.ok ? 'ok' : 'deviation'} size={15} />
      {c.ok ? t('inc.check.ok', { n: c.entries }) : c.reason ? t('inc.check.broken', { id: c.brokenAt ?? '–', reason: c.reason }) : t('inc.check.files')}
      {c.evidence.map((e) => <span key={e.id} class="small"> · {agentName(e.name)}: {e.problem}</span>)}
      {c.filesCheckedAt && <span class="small"> · {t('inc.check.filesAt', { when: date(c.filesCheckedAt) })}</span>}
      {c.head && <code class="small hash" title={c.head}> {c.head.slice(0, 16)}…</code>}
      <button type="button" class="btn btn-small btn-ghost" disabled={submit.busy} onClick={() => submit.run(async () => setNow(await api<IncidentDetail['check']>(`/incidents/${d.incident.id}/verify`)))}>
        {t('inc.check.now')}
      </button>
    </p>
  )
}

export function TimelineCard({ d }: { d: IncidentDetail }) {
  const { t, tx, date } = useI18n()
  const isAdmin = useIsAdmin()
  const [correcting, setCorrecting] = useState<Entry | null>(null)
  const [custody, setCustody] = useState(false)
  const shown = d.timeline.filter((e) => custody || e.kind !== 'custody').slice().reverse()
  const authored = (k: TimelineKind) => (AUTHORED_ENTRY_KINDS as readonly string[]).includes(k)
  return (
    <Card title={t('inc.timeline')} id="timeline" actions={
      <label class="check small"><input type="checkbox" checked={custody} onChange={(e) => setCustody(e.currentTarget.checked)} />{t('inc.tl.custody')}</label>
    }>
      <CheckLine d={d} />
      {isAdmin && <EntryForm key={correcting?.id ?? 'new'} d={d} correcting={correcting} done={() => setCorrecting(null)} />}
      <ol class="timeline" reversed>
        {shown.map((e) => (
          <li key={e.id} id={`entry-${e.id}`} class={`tl tl-${e.kind} ${e.correctedBy.length ? 'tl-corrected' : ''}`} data-kind={e.kind} data-entry={e.id}>
            <div class="tl-head">
              <span class="tl-id">#{e.id}</span>
              <time dateTime={e.at}>{date(e.at)}</time>
              <span class="tl-kind">{tx(TIMELINE_KIND_LABEL[e.kind])}</span>
              <span class="tl-author">{agentName(e.author)}</span>
              {e.correctsId && <a class="small" href={`#entry-${e.correctsId}`}>{t('inc.tl.corrects', { id: e.correctsId })}</a>}
              {e.correctedBy.length > 0 && <span class="small field-error">{t('inc.tl.correctedBy', { ids: e.correctedBy.map((x) => `#${x}`).join(', ') })}</span>}
              {isAdmin && authored(e.kind) && d.incident.state !== 'closed' && (
                <button type="button" class="btn btn-small btn-ghost" onClick={() => setCorrecting(e)}>{t('inc.tl.correct')}</button>
              )}
            </div>
            <div class="tl-text">{agentText(e.text)}</div>
            <code class="tl-hash" title={e.hash}>{e.hash.slice(0, 12)}…</code>
          </li>
        ))}
      </ol>
    </Card>
  )
}
