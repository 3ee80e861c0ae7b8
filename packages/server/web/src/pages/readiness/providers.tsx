// IT service providers: what was agreed (scope, scenarios, response time, contract review), standby and incident response.
import { SCENARIOS, SCENARIO_LABEL, type Entry, type ProviderInput } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { Loading } from '../../components.js'
import { ReadinessLayout } from './layout.js'
import { dataOf, EntryList, RecordForm } from './entry-list.js'
import { Check, TextArea, TextField } from './fields.js'
import { saveEntry, useEntries } from './data.js'

const EMPTY: ProviderInput = {
  name: '', contactId: null, scope: '', supports: [], responseTimeHours: 4, contractReviewDate: '', standby: false, incidentResponse: false, notes: '',
}

function ProviderForm({ entry, done, cancel }: { entry: Entry<ProviderInput> | null; done: () => void; cancel: () => void }) {
  const { t, tx } = useI18n()
  const contacts = useEntries('contacts')
  if (!contacts.data) return <Loading />
  return (
    <RecordForm<ProviderInput>
      initial={entry ? dataOf(entry) : EMPTY}
      send={(v) => saveEntry('providers', entry?.id ?? null, v)}
      check={(v) => (!v.name.trim() ? t('rd.provider.name') : !v.scope.trim() ? t('rd.provider.scope') : !v.contractReviewDate ? t('rd.provider.contract') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.provider.name')} name="name" maxLength={120} value={v.name} set={(name) => set({ name })} />
            <label class="field">
              <span>{t('rd.provider.contact')}</span>
              <select name="contactId" value={v.contactId ?? ''} onChange={(e) => set({ contactId: e.currentTarget.value || null })}>
                <option value="">{t('rd.nobody')}</option>
                {contacts.data!.map((c) => <option key={c.id} value={c.id}>{c.name}{c.phone ? ` – ${c.phone}` : ''}</option>)}
              </select>
            </label>
            <TextField label={t('rd.provider.response')} name="responseTimeHours" type="number" min={0.25} max={720} step={0.25} maxLength={6} value={String(v.responseTimeHours)} set={(x) => set({ responseTimeHours: Number(x) })} />
            <TextField label={t('rd.provider.contract')} name="contractReviewDate" type="date" maxLength={10} value={v.contractReviewDate} set={(contractReviewDate) => set({ contractReviewDate })} />
          </div>
          <TextArea label={t('rd.provider.scope')} name="scope" maxLength={2000} value={v.scope} set={(scope) => set({ scope })} />
          <fieldset class="checks">
            <legend>{t('rd.provider.supports')}</legend>
            {SCENARIOS.map((s) => (
              <Check key={s} name={`supports-${s}`} label={tx(SCENARIO_LABEL[s])} checked={v.supports.includes(s)} set={(on) => set({ supports: on ? [...v.supports, s] : v.supports.filter((x) => x !== s) })} />
            ))}
          </fieldset>
          <Check name="standby" label={t('rd.provider.standby')} checked={v.standby} set={(standby) => set({ standby })} />
          <Check name="incidentResponse" label={t('rd.provider.ir')} checked={v.incidentResponse} set={(incidentResponse) => set({ incidentResponse })} />
          <TextArea label={t('rd.provider.notes')} name="notes" maxLength={1000} rows={2} value={v.notes} set={(notes) => set({ notes })} />
        </>
      )}
    </RecordForm>
  )
}

export function ProvidersPage() {
  const { t, tx } = useI18n()
  const contacts = useEntries('contacts')
  const phone = (id: string | null) => contacts.data?.find((c) => c.id === id)
  return (
    <ReadinessLayout title={t('rd.providers')} measures={['prep.providers', 'prep.more-providers']}>
      <EntryList
        kind="providers"
        title={t('rd.providers')}
        name={(p) => p.name}
        summary={(p) => (
          <>
            <strong>{p.name}</strong>
            {p.incidentResponse && <span class="rd-tag">{t('rd.provider.ir')}</span>}
            {p.standby && <span class="rd-tag">{t('rd.provider.standby').split(' (')[0]}</span>}
            <div class="small">{[phone(p.contactId)?.phone, t('rd.provider.hours', { h: p.responseTimeHours }), p.supports.map((s) => tx(SCENARIO_LABEL[s])).join(', ')].filter(Boolean).join(' · ')}</div>
            <div class="small muted">{p.scope}</div>
          </>
        )}
        form={(f) => <ProviderForm {...f} />}
      />
    </ReadinessLayout>
  )
}
