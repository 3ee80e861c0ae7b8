// The record parts of the technical measures: two-factor of the critical services (base.passwords), the network plan
// (base.inventory), the network zones (base.segmentation).
import { useState } from 'preact/hooks'
import { NETWORK_PLAN_MAX_BYTES, NETWORK_PLAN_TYPES, TWO_FACTOR_LABEL, TWO_FACTOR_STATES, type Entry, type RecordListInput, type SegmentationDoc } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { useSubmit } from '../../hooks.js'
import { Card, Loading, SaveRow } from '../../components.js'
import { upload, type ReadinessView } from '../../api.js'
import { ReadinessLayout } from './layout.js'
import { dataOf, EntryList, RecordForm } from './entry-list.js'
import { Choice, TextArea, TextField, today, useDay } from './fields.js'
import { saveDoc, saveEntry, useDoc, useReadiness } from './data.js'

type TwoFactor = RecordListInput<'two-factor'>

function TwoFactorForm({ entry, done, cancel }: { entry: Entry<TwoFactor> | null; done: () => void; cancel: () => void }) {
  const { t } = useI18n()
  return (
    <RecordForm<TwoFactor>
      initial={entry ? dataOf(entry) : { service: '', state: 'enforced', checkedOn: today(), notes: '' }}
      send={(v) => saveEntry('two-factor', entry?.id ?? null, v)}
      check={(v) => (!v.service.trim() ? t('rd.tech.service') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <div class="form-grid">
          <TextField label={t('rd.tech.service')} name="service" maxLength={120} value={v.service} set={(service) => set({ service })} />
          <Choice label={t('rd.tech.state')} name="state" values={TWO_FACTOR_STATES} labels={TWO_FACTOR_LABEL} value={v.state} set={(state) => state && set({ state })} />
          <TextField label={t('rd.tech.checkedOn')} name="checkedOn" type="date" maxLength={10} value={v.checkedOn} set={(checkedOn) => set({ checkedOn })} />
          <TextField label={t('rd.log.notes')} name="notes" maxLength={1000} value={v.notes} set={(notes) => set({ notes })} />
        </div>
      )}
    </RecordForm>
  )
}

/** Upload as the raw body (the server reads the type from the content); a file over the limit is refused before sending. */
function NetworkPlanCard({ plan }: { plan: ReadinessView['networkPlan'] }) {
  const { t, num, date } = useI18n()
  const isAdmin = useIsAdmin()
  const submit = useSubmit()
  const [file, setFile] = useState<File | null>(null)
  const send = async (e: Event) => {
    e.preventDefault()
    if (!file) return submit.fail(t('rd.tech.plan.choose'))
    if (file.size > NETWORK_PLAN_MAX_BYTES) return submit.fail(t('rd.tech.plan.tooLarge'))
    await submit.run(() => upload(`/readiness/network-plan?name=${encodeURIComponent(file.name)}`, file), t('rd.saved'))
  }
  return (
    <Card title={t('rd.tech.plan')} id="network-plan">
      <p class="small muted">{t('rd.tech.plan.help')}</p>
      {plan ? (
        <p data-plan={plan.name}>
          {t('rd.tech.plan.current', { name: plan.name, size: `${num(Math.ceil(plan.size / 1024))} KiB`, when: date(plan.uploadedAt), by: plan.uploadedBy })}{' '}
          <a class="btn btn-small" href="/api/v1/readiness/network-plan/file" download>{t('rd.tech.plan.download')}</a>
        </p>
      ) : (
        <p class="muted">{t('rd.tech.plan.none')}</p>
      )}
      {isAdmin && (
        <form onSubmit={send} class="upload">
          <label class="field">
            <span>{t('rd.tech.plan.file')}</span>
            <input type="file" name="file" accept={NETWORK_PLAN_TYPES.join(',')} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </label>
          <SaveRow submit={submit} label={t('rd.tech.plan.upload')} />
        </form>
      )}
    </Card>
  )
}

function SegmentationForm({ doc }: { doc: SegmentationDoc }) {
  const { t } = useI18n()
  return (
    <RecordForm<SegmentationDoc> initial={doc} send={(v) => saveDoc('segmentation', { ...v, zones: v.zones.filter((z) => z.name.trim()) })}>
      {(v, set) => (
        <>
          {v.zones.map((z, i) => (
            <div class="zone-row" key={i}>
              <input aria-label={t('rd.tech.seg.zone')} placeholder={t('rd.tech.seg.zone')} maxLength={80} value={z.name} onInput={(e) => set({ zones: v.zones.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)) })} />
              <input aria-label={t('rd.tech.seg.purpose')} placeholder={t('rd.tech.seg.purpose')} maxLength={300} value={z.purpose} onInput={(e) => set({ zones: v.zones.map((x, j) => (j === i ? { ...x, purpose: e.currentTarget.value } : x)) })} />
              <button type="button" class="btn btn-small btn-ghost" aria-label={t('rd.tech.seg.remove')} onClick={() => set({ zones: v.zones.filter((_, j) => j !== i) })}>✕</button>
            </div>
          ))}
          {v.zones.length < 50 && <button type="button" class="btn btn-small" onClick={() => set({ zones: [...v.zones, { name: '', purpose: '' }] })}>+ {t('rd.tech.seg.add')}</button>}
          <TextArea label={t('rd.tech.seg.notes')} name="notes" maxLength={2000} rows={2} value={v.notes} set={(notes) => set({ notes })} />
        </>
      )}
    </RecordForm>
  )
}

export function TechnicalPage() {
  const { t, tx } = useI18n()
  const isAdmin = useIsAdmin()
  const view = useReadiness()
  const seg = useDoc('segmentation')
  const day = useDay()
  return (
    <ReadinessLayout title={t('rd.tab.technical')} measures={['base.passwords', 'base.inventory', 'base.segmentation']}>
      <EntryList
        kind="two-factor" id="two-factor" title={t('rd.tech.2fa')}
        name={(e) => e.service}
        summary={(e) => (
          <>
            <strong>{e.service}</strong> <span class={`rd-tag ${e.state === 'off' || e.state === 'partial' ? 'rd-tag-bad' : ''}`}>{tx(TWO_FACTOR_LABEL[e.state])}</span>
            <span class="small muted"> · {t('rd.tech.checkedOn')} {day(e.checkedOn)}</span>
          </>
        )}
        form={(f) => <TwoFactorForm {...f} />}
      />
      {view.data ? <NetworkPlanCard plan={view.data.networkPlan} /> : <Loading />}
      <Card title={t('rd.tech.seg')} id="segmentation">
        {!seg.data ? <Loading /> : isAdmin ? (
          <SegmentationForm doc={seg.data.data ?? { zones: [{ name: '', purpose: '' }], notes: '' }} />
        ) : (
          <ul>{(seg.data.data?.zones ?? []).map((z, i) => <li key={i}><strong>{z.name}</strong> {z.purpose}</li>)}</ul>
        )}
      </Card>
    </ReadinessLayout>
  )
}
