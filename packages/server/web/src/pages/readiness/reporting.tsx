// Reporting duties: which obligations apply (GDPR, NIS2, KRITIS, the insurer), the deadline clocks that would start
// in an incident, and the authority contacts (data-protection authority, the police ZAC of the company's state).
import { useState } from 'preact/hooks'
import { ANSWERS, ANSWER_LABEL, FEDERAL_STATE_LABEL, ZAC_CONTACTS, type ContactInput, type ReportingDoc } from '@lagebild/shared'
import { useI18n, type Key } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card, Loading } from '../../components.js'
import type { ReadinessView } from '../../api.js'
import { ReadinessLayout } from './layout.js'
import { RecordForm } from './entry-list.js'
import { Check, Choice, numberOrNull, TextField } from './fields.js'
import { ContactForm, ContactSummary, EMPTY_CONTACT } from './contacts.js'
import { saveDoc, useDoc, useEntries, useReadiness } from './data.js'

const EMPTY: ReportingDoc = { personalData: 'yes', nis2Sector: 'unsure', nis2Size: 'unsure', kritis: 'no', bsiRegistered: false, insurerNoticeHours: null }
const QUESTIONS: [keyof Pick<ReportingDoc, 'personalData' | 'nis2Sector' | 'nis2Size' | 'kritis'>, Key][] = [
  ['personalData', 'rd.rep.personalData'], ['nis2Sector', 'rd.rep.nis2Sector'], ['nis2Size', 'rd.rep.nis2Size'], ['kritis', 'rd.rep.kritis'],
]

function ReportingForm({ doc }: { doc: ReportingDoc }) {
  const { t } = useI18n()
  return (
    <RecordForm<ReportingDoc> initial={doc} send={(v) => saveDoc('reporting', v)}>
      {(v, set) => (
        <>
          {QUESTIONS.map(([k, label]) => (
            <Choice key={k} name={k} label={t(label)} values={ANSWERS} labels={ANSWER_LABEL} value={v[k]} set={(x) => x && set({ [k]: x } as Partial<ReportingDoc>)} />
          ))}
          <Check name="bsiRegistered" label={t('rd.rep.bsi')} checked={v.bsiRegistered} set={(bsiRegistered) => set({ bsiRegistered })} />
          <TextField label={t('rd.rep.insurer')} name="insurerNoticeHours" type="number" min={1} max={720} maxLength={3} value={v.insurerNoticeHours === null ? '' : String(v.insurerNoticeHours)} set={(x) => set({ insurerNoticeHours: numberOrNull(x) })} />
        </>
      )}
    </RecordForm>
  )
}

/** The authority contacts, and a pre-filled one to add for the company's state (ZAC) or its data-protection authority. */
function Authorities({ view }: { view: ReadinessView }) {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const contacts = useEntries('contacts')
  const [adding, setAdding] = useState<ContactInput | null>(null)
  const state = view.company.federalState
  const zac = state ? ZAC_CONTACTS[state] : null
  const authorities = (contacts.data ?? []).filter((c) => c.kind === 'police' || c.kind === 'data-protection-authority' || c.kind === 'authority')
  return (
    <Card title={t('rd.rep.authorities')} id="authorities">
      {!contacts.data ? <Loading /> : (
        <ul class="entries">{authorities.map((c) => <li key={c.id}><div class="entry"><div class="entry-text"><ContactSummary c={c} /></div></div></li>)}</ul>
      )}
      {isAdmin && !adding && (
        <div class="form-actions">
          {zac && state && (
            <button type="button" class="btn btn-small" onClick={() => setAdding({ ...EMPTY_CONTACT, kind: 'police', name: zac.name, organisation: FEDERAL_STATE_LABEL[state], phone: zac.phone, email: zac.email })}>
              + {t('rd.rep.addZac', { state: FEDERAL_STATE_LABEL[state] })}
            </button>
          )}
          <button type="button" class="btn btn-small" onClick={() => setAdding({ ...EMPTY_CONTACT, kind: 'data-protection-authority' })}>+ {t('rd.rep.addDpa')}</button>
        </div>
      )}
      {adding && zac && adding.kind === 'police' && !zac.phone && <p class="small field-error">{t('rd.rep.zacUnverified')}</p>}
      {adding && <ContactForm entry={null} initial={adding} done={() => (setAdding(null), contacts.reload())} cancel={() => setAdding(null)} />}
    </Card>
  )
}

export function ReportingPage() {
  const { t, tx } = useI18n()
  const isAdmin = useIsAdmin()
  const doc = useDoc('reporting')
  const view = useReadiness()
  return (
    <ReadinessLayout title={t('rd.rep')} measures={['prep.reporting']}>
      <Card title={t('rd.rep')} id="reporting">
        {!doc.data ? <Loading /> : isAdmin ? <ReportingForm doc={doc.data.data ?? EMPTY} /> : <p class="muted">{doc.data.data ? '' : t('rd.none')}</p>}
      </Card>
      {view.data && (
        <Card title={t('rd.rep.clocks')} id="clocks">
          {view.data.clocks.length ? (
            <ul data-clocks={view.data.clocks.map((c) => c.id).join(' ')}>{view.data.clocks.map((c) => <li key={c.id}><strong>{c.hours} h</strong> · {tx(c.title)}</li>)}</ul>
          ) : (
            <p class="muted">{t('rd.rep.noClocks')}</p>
          )}
        </Card>
      )}
      {view.data && <Authorities view={view.data} />}
    </ReadinessLayout>
  )
}
