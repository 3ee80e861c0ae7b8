// Contacts: people, providers' hotlines, authorities — with phone, e-mail, their own time zone and availability windows.
import {
  CONTACT_KINDS, CONTACT_KIND_LABEL, describeWindows,
  type ContactInput, type Entry,
} from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { dataOf, EntryList, RecordForm } from './entry-list.js'
import { Choice, TextArea, TextField } from './fields.js'
import { WindowsEditor } from './windows-editor.js'
import { saveEntry } from './data.js'

export const EMPTY_CONTACT: ContactInput = {
  kind: 'person', name: '', organisation: '', function: '', phone: null, mobile: null, email: null, timeZone: null, availability: [], notes: '',
}
const orNull = (s: string) => (s.trim() === '' ? null : s.trim())

export function ContactForm({ entry, initial, done, cancel }: { entry: Entry<ContactInput> | null; initial?: ContactInput; done: () => void; cancel?: () => void }) {
  const { t } = useI18n()
  const stored = entry ? dataOf(entry) : (initial ?? EMPTY_CONTACT)
  return (
    <RecordForm<ContactInput>
      class="contact-form"
      initial={stored}
      send={(v) => saveEntry('contacts', entry?.id ?? null, v)}
      check={(v) => (!v.name.trim() ? t('rd.contact.name') : !v.phone && !v.mobile && !v.email ? t('rd.contact.needWay') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <Choice label={t('rd.contact.kind')} name="kind" values={CONTACT_KINDS} labels={CONTACT_KIND_LABEL} value={v.kind} set={(kind) => kind && set({ kind })} />
            <TextField label={t('rd.contact.name')} name="name" maxLength={120} required value={v.name} set={(name) => set({ name })} />
            <TextField label={t('rd.contact.function')} name="function" maxLength={120} value={v.function} set={(x) => set({ function: x })} />
            <TextField label={t('rd.contact.organisation')} name="organisation" maxLength={120} value={v.organisation} set={(organisation) => set({ organisation })} />
            <TextField label={t('rd.contact.phone')} name="phone" type="tel" maxLength={40} value={v.phone ?? ''} set={(x) => set({ phone: orNull(x) })} placeholder="+49 30 1234567" />
            <TextField label={t('rd.contact.mobile')} name="mobile" type="tel" maxLength={40} value={v.mobile ?? ''} set={(x) => set({ mobile: orNull(x) })} />
            <TextField label={t('rd.contact.email')} name="email" type="email" maxLength={254} value={v.email ?? ''} set={(x) => set({ email: orNull(x) })} />
            <TextField label={t('rd.contact.zone')} name="timeZone" maxLength={64} value={v.timeZone ?? ''} set={(x) => set({ timeZone: orNull(x) })} placeholder="Europe/Berlin" />
          </div>
          <WindowsEditor label={t('rd.windows')} value={v.availability} set={(availability) => set({ availability })} />
          <TextArea label={t('rd.contact.notes')} name="notes" maxLength={1000} rows={2} value={v.notes} set={(notes) => set({ notes })} />
        </>
      )}
    </RecordForm>
  )
}

export function ContactSummary({ c }: { c: Entry<ContactInput> }) {
  const { t, tx, lang } = useI18n()
  return (
    <>
      <strong>{c.name}</strong>
      {c.function && <span class="muted"> · {c.function}</span>}
      {c.organisation && <span class="muted"> · {c.organisation}</span>}
      <span class="rd-tag">{tx(CONTACT_KIND_LABEL[c.kind])}</span>
      <div class="small">
        {[c.phone, c.mobile, c.email].filter(Boolean).join(' · ')}
        {' · '}
        {t('rd.contact.hours')}: {describeWindows(c.availability, lang)}
        {c.timeZone && ` (${c.timeZone})`}
      </div>
    </>
  )
}

export function ContactsCard() {
  const { t } = useI18n()
  return (
    <EntryList
      kind="contacts"
      id="contacts"
      title={t('rd.contacts')}
      name={(c) => c.name}
      summary={(c) => <ContactSummary c={c} />}
      form={(f) => <ContactForm {...f} />}
    />
  )
}
