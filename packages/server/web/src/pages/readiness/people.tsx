// People: the roles with their deputies, the contacts, and when the first contact can be reached (hour by hour).
import { describeGaps, ROLE_KINDS, ROLE_LABEL, WEEKDAYS, WEEKDAY_LABEL, type Entry, type ContactInput, type RolesDoc } from '@lagebild/shared'
import { useI18n, type Key } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card, Loading } from '../../components.js'
import type { ReadinessView } from '../../api.js'
import { ReadinessLayout } from './layout.js'
import { RecordForm } from './entry-list.js'
import { ContactsCard } from './contacts.js'
import { saveDoc, useDoc, useEntries, useReadiness } from './data.js'

const DEPUTIES = 2
type Assignment = RolesDoc['assignments'][number]

function ContactSelect({ label, contacts, value, set, name }: { label: string; contacts: Entry<ContactInput>[]; value: string | null; set: (id: string | null) => void; name: string }) {
  const { t } = useI18n()
  return (
    <label class="field">
      <span>{label}</span>
      <select name={name} value={value ?? ''} onChange={(e) => set(e.currentTarget.value || null)}>
        <option value="">{t('rd.nobody')}</option>
        {contacts.map((c) => <option key={c.id} value={c.id}>{c.name}{c.function ? ` (${c.function})` : ''}</option>)}
      </select>
    </label>
  )
}

function RolesForm({ roles, contacts }: { roles: RolesDoc | null; contacts: Entry<ContactInput>[] }) {
  const { t, tx } = useI18n()
  const initial: Assignment[] = ROLE_KINDS.map((role) => roles?.assignments.find((a) => a.role === role) ?? { role, holderId: null, deputyIds: [] })
  return (
    <RecordForm<{ list: Assignment[] }>
      class="roles-form"
      initial={{ list: initial }}
      send={(v) => saveDoc('roles', { assignments: v.list.map((a) => ({ ...a, deputyIds: a.deputyIds.filter(Boolean) })) })}
    >
      {(v, set) => (
        <div class="roles">
          {v.list.map((a, i) => {
            const change = (patch: Partial<Assignment>) => set({ list: v.list.map((x, j) => (j === i ? { ...x, ...patch } : x)) })
            return (
              <fieldset key={a.role} data-role={a.role}>
                <legend>{tx(ROLE_LABEL[a.role])}</legend>
                <ContactSelect label={t('rd.roles.holder')} name={`${a.role}-holder`} contacts={contacts} value={a.holderId} set={(holderId) => change({ holderId })} />
                {Array.from({ length: DEPUTIES }, (_, d) => (
                  <ContactSelect
                    key={d} label={t('rd.roles.deputy', { n: d + 1 })} name={`${a.role}-deputy-${d + 1}`} contacts={contacts} value={a.deputyIds[d] ?? null}
                    set={(id) => {
                      const next = [...a.deputyIds]
                      next[d] = id ?? ''
                      change({ deputyIds: next.slice(0, DEPUTIES) })
                    }}
                  />
                ))}
              </fieldset>
            )
          })}
        </div>
      )}
    </RecordForm>
  )
}

const CELL: Record<ReadinessView['coverage']['cells'][number]['state'], Key> = {
  covered: 'rd.coverage.covered', partial: 'rd.coverage.partial', gap: 'rd.coverage.gap', 'not-required': 'rd.coverage.notRequired', none: 'rd.coverage.none',
}

export function CoverageGrid({ view }: { view: ReadinessView }) {
  const { t, tx } = useI18n()
  const { coverage, gaps, card } = view
  return (
    <Card title={t('rd.coverage')} id="coverage">
      <p class="small muted">{t('rd.coverage.help', { zone: coverage.zone })}</p>
      <div class="coverage-wrap">
        <table class="coverage" data-gaps={gaps.length}>
          <thead>
            <tr><th />{Array.from({ length: 24 }, (_, h) => <th key={h} scope="col">{h}</th>)}</tr>
          </thead>
          <tbody>
            {WEEKDAYS.map((day) => (
              <tr key={day}>
                <th scope="row">{tx(WEEKDAY_LABEL[day])}</th>
                {coverage.cells.filter((c) => c.day === day).map((c) => (
                  <td key={c.hour} class={`cov cov-${c.state}`} title={`${tx(WEEKDAY_LABEL[day])} ${c.hour}:00 · ${t(CELL[c.state])}${c.who.length ? `: ${c.who.join(', ')}` : ''}`} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul class="legend small">
        {(['covered', 'partial', 'gap', 'not-required'] as const).map((s) => <li key={s}><span class={`cov cov-${s}`} />{t(CELL[s])}</li>)}
      </ul>
      <p class={gaps.length ? 'field-error' : 'yes-good'} data-coverage-gaps={gaps.length}>
        {gaps.length ? `${t('rd.coverage.gaps')}: ${tx(describeGaps(gaps))}` : t('rd.coverage.noGaps')}
      </p>
      <p class="small">{card.reachableNow.length ? `${t('rd.coverage.now')}: ${card.reachableNow.join(', ')}` : t('rd.coverage.nowNobody')}</p>
    </Card>
  )
}

export function PeoplePage() {
  const { t } = useI18n()
  const isAdmin = useIsAdmin()
  const roles = useDoc('roles')
  const contacts = useEntries('contacts')
  const view = useReadiness()
  return (
    <ReadinessLayout title={t('rd.tab.people')} measures={['ready.card', 'prep.roles', 'prep.contacts']}>
      <Card title={t('rd.roles')} id="roles">
        {!roles.data || !contacts.data ? <Loading /> : !contacts.data.length ? <p class="muted">{t('rd.roles.needContacts')}</p> : isAdmin ? (
          <RolesForm roles={roles.data.data} contacts={contacts.data} />
        ) : (
          <RolesReadOnly roles={roles.data.data} contacts={contacts.data} />
        )}
      </Card>
      <ContactsCard />
      {view.data && <CoverageGrid view={view.data} />}
    </ReadinessLayout>
  )
}

function RolesReadOnly({ roles, contacts }: { roles: RolesDoc | null; contacts: Entry<ContactInput>[] }) {
  const { t, tx } = useI18n()
  const name = (id: string | null) => contacts.find((c) => c.id === id)?.name ?? t('rd.nobody')
  return (
    <dl class="kv">
      {ROLE_KINDS.map((role) => {
        const a = roles?.assignments.find((x) => x.role === role)
        return (
          <div key={role}>
            <dt>{tx(ROLE_LABEL[role])}</dt>
            <dd>{name(a?.holderId ?? null)}{a?.deputyIds.length ? ` · ${t('rd.roles.deputy', { n: '' }).trim()}: ${a.deputyIds.map(name).join(', ')}` : ''}</dd>
          </div>
        )
      })}
    </dl>
  )
}
