// The emergency plan (alerting chain, first steps per scenario in German and English) and the communication plan.
import { SCENARIOS, SCENARIO_LABEL, type CommunicationDoc, type ContactInput, type Entry, type PlanDoc } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card, Loading } from '../../components.js'
import { ReadinessLayout } from './layout.js'
import { RecordForm } from './entry-list.js'
import { TextArea, TextField } from './fields.js'
import { saveDoc, useDoc, useEntries } from './data.js'

type Chain = PlanDoc['alertingChain']

function ChainEditor({ chain, set, contacts }: { chain: Chain; set: (c: Chain) => void; contacts: Entry<ContactInput>[] }) {
  const { t } = useI18n()
  const move = (i: number, d: -1 | 1) => {
    const next = [...chain]
    ;[next[i], next[i + d]] = [next[i + d]!, next[i]!]
    set(next)
  }
  return (
    <fieldset class="chain">
      <legend>{t('rd.plan.chain')}</legend>
      <p class="small muted">{t('rd.plan.chain.help')}</p>
      <ol>
        {chain.map((s, i) => (
          <li key={i} class="chain-row">
            <select aria-label={`${t('rd.plan.chain')} ${i + 1}`} value={s.contactId} onChange={(e) => set(chain.map((x, j) => (j === i ? { ...x, contactId: e.currentTarget.value } : x)))}>
              {contacts.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
            <input aria-label={t('rd.plan.chain.note')} placeholder={t('rd.plan.chain.note')} maxLength={200} value={s.note} onInput={(e) => set(chain.map((x, j) => (j === i ? { ...x, note: e.currentTarget.value } : x)))} />
            <button type="button" class="btn btn-small btn-ghost" disabled={i === 0} aria-label={t('rd.plan.chain.up')} onClick={() => move(i, -1)}>↑</button>
            <button type="button" class="btn btn-small btn-ghost" disabled={i === chain.length - 1} aria-label={t('rd.plan.chain.down')} onClick={() => move(i, 1)}>↓</button>
            <button type="button" class="btn btn-small btn-ghost" aria-label={t('rd.windows.remove')} onClick={() => set(chain.filter((_, j) => j !== i))}>✕</button>
          </li>
        ))}
      </ol>
      {contacts.length > 0 && chain.length < 20 && (
        <button type="button" class="btn btn-small" onClick={() => set([...chain, { contactId: contacts.find((c) => !chain.some((s) => s.contactId === c.id))?.id ?? contacts[0]!.id, note: '' }])}>
          + {t('rd.plan.chain.add')}
        </button>
      )}
    </fieldset>
  )
}

/** A text in both languages side by side: one textarea each. */
function BothLanguages({ label, value, set, name, rows = 5 }: { label: string; value: { de: string; en: string }; set: (v: { de: string; en: string }) => void; name: string; rows?: number }) {
  const { t } = useI18n()
  return (
    <fieldset class="both-languages">
      <legend>{label}</legend>
      <TextArea label={t('rd.plan.de')} name={`${name}-de`} rows={rows} maxLength={4000} value={value.de} set={(de) => set({ ...value, de })} />
      <TextArea label={t('rd.plan.en')} name={`${name}-en`} rows={rows} maxLength={4000} value={value.en} set={(en) => set({ ...value, en })} />
    </fieldset>
  )
}

function PlanForm({ plan, saved, contacts }: { plan: PlanDoc; saved: boolean; contacts: Entry<ContactInput>[] }) {
  const { t, tx } = useI18n()
  return (
    <RecordForm<PlanDoc> initial={plan} send={(v) => saveDoc('plan', v)}>
      {(v, set) => (
        <>
          {!saved && <p class="small field-error">{t('rd.plan.unsaved')}</p>}
          <ChainEditor chain={v.alertingChain} set={(alertingChain) => set({ alertingChain })} contacts={contacts} />
          <h3>{t('rd.plan.steps')}</h3>
          <p class="small muted">{t('rd.plan.steps.help')}</p>
          {SCENARIOS.map((s) => (
            <BothLanguages key={s} name={`steps-${s}`} label={tx(SCENARIO_LABEL[s])} value={v.scenarios[s]} set={(x) => set({ scenarios: { ...v.scenarios, [s]: x } })} />
          ))}
        </>
      )}
    </RecordForm>
  )
}

function CommunicationForm({ doc, contacts }: { doc: CommunicationDoc; contacts: Entry<ContactInput>[] }) {
  const { t } = useI18n()
  return (
    <RecordForm<CommunicationDoc> initial={doc} send={(v) => saveDoc('communication', v)}>
      {(v, set) => (
        <>
          <label class="field">
            <span>{t('rd.comm.speaker')}</span>
            <select name="spokespersonId" value={v.spokespersonId ?? ''} onChange={(e) => set({ spokespersonId: e.currentTarget.value || null })}>
              <option value="">{t('rd.nobody')}</option>
              {contacts.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
          <BothLanguages name="internal" label={t('rd.comm.internal')} rows={4} value={v.internal} set={(internal) => set({ internal })} />
          <BothLanguages name="external" label={t('rd.comm.external')} rows={4} value={v.external} set={(external) => set({ external })} />
          <h3>{t('rd.comm.templates')}</h3>
          {v.templates.map((tpl, i) => {
            const change = (x: Partial<typeof tpl>) => set({ templates: v.templates.map((y, j) => (j === i ? { ...y, ...x } : y)) })
            return (
              <div key={i} class="template">
                <div class="form-grid">
                  <TextField label={`${t('rd.comm.template.title')} (${t('rd.plan.de')})`} name={`tpl-${i}-title-de`} maxLength={200} value={tpl.title.de} set={(de) => change({ title: { ...tpl.title, de } })} />
                  <TextField label={`${t('rd.comm.template.title')} (${t('rd.plan.en')})`} name={`tpl-${i}-title-en`} maxLength={200} value={tpl.title.en} set={(en) => change({ title: { ...tpl.title, en } })} />
                </div>
                <BothLanguages name={`tpl-${i}-body`} label={t('rd.comm.template.body')} rows={3} value={tpl.body} set={(body) => change({ body })} />
                <button type="button" class="btn btn-small btn-ghost" onClick={() => set({ templates: v.templates.filter((_, j) => j !== i) })}>{t('rd.comm.template.remove')}</button>
              </div>
            )
          })}
          {v.templates.length < 20 && (
            <button type="button" class="btn btn-small" onClick={() => set({ templates: [...v.templates, { title: { de: '', en: '' }, body: { de: '', en: '' } }] })}>+ {t('rd.comm.template.add')}</button>
          )}
        </>
      )}
    </RecordForm>
  )
}

export function PlanPage() {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const plan = useDoc('plan')
  const comm = useDoc('communication')
  const contacts = useEntries('contacts')
  const ready = plan.data && comm.data && contacts.data
  return (
    <ReadinessLayout title={t('rd.plan')} measures={['prep.first-response', 'prep.communication']}>
      <Card title={t('rd.plan')} id="plan">
        {!ready ? <Loading /> : isAdmin ? (
          <PlanForm plan={plan.data!.data ?? plan.data!.defaults!} saved={!!plan.data!.data} contacts={contacts.data!} />
        ) : (
          <PlanReadOnly plan={plan.data!.data} contacts={contacts.data!} />
        )}
      </Card>
      <Card title={t('rd.comm')} id="communication">
        {!ready ? <Loading /> : isAdmin ? <CommunicationForm doc={comm.data!.data ?? comm.data!.defaults!} contacts={contacts.data!} /> : <CommunicationReadOnly doc={comm.data!.data} contacts={contacts.data!} />}
      </Card>
    </ReadinessLayout>
  )
}

function PlanReadOnly({ plan, contacts }: { plan: PlanDoc | null; contacts: Entry<ContactInput>[] }) {
  const { t, tx, lang } = useI18n()
  if (!plan) return <p class="muted">{t('rd.none')}</p>
  return (
    <>
      <ol>{plan.alertingChain.map((s, i) => <li key={i}>{contacts.find((c) => c.id === s.contactId)?.name ?? '—'} {s.note && `– ${s.note}`}</li>)}</ol>
      {SCENARIOS.map((s) => (
        <div key={s}>
          <h3>{tx(SCENARIO_LABEL[s])}</h3>
          <ol>{plan.scenarios[s][lang].split('\n').filter(Boolean).map((l, i) => <li key={i}>{l}</li>)}</ol>
        </div>
      ))}
    </>
  )
}

function CommunicationReadOnly({ doc, contacts }: { doc: CommunicationDoc | null; contacts: Entry<ContactInput>[] }) {
  const { t, lang } = useI18n()
  if (!doc) return <p class="muted">{t('rd.none')}</p>
  const list = (text: string) => <ul>{text.split('\n').filter(Boolean).map((l, i) => <li key={i}>{l}</li>)}</ul>
  return (
    <>
      <p><strong>{t('rd.comm.speaker')}:</strong> {contacts.find((c) => c.id === doc.spokespersonId)?.name ?? '—'}</p>
      <h3>{t('rd.comm.internal')}</h3>
      {list(doc.internal[lang])}
      <h3>{t('rd.comm.external')}</h3>
      {list(doc.external[lang])}
    </>
  )
}
