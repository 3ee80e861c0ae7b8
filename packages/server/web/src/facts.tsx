// Every fact the agent sends, shown as a person reads it (the raw JSON is one click away).
import type { ComponentChildren } from 'preact'
import { displayText } from '@lagebild/shared'
import { useI18n, type I18n } from './i18n.js'
import { Collapsible, Facts, StatusIcon, YesNo } from './components.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : [])
// Every text here comes from an agent: invisible and direction-changing characters are shown as [U+XXXX].
const str = (v: unknown): string | null => (typeof v === 'string' ? displayText(v, { max: 2000 }) : null)
const numv = (v: unknown): number | null => (typeof v === 'number' ? v : null)
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null)

function bytes(n: number | null, i: I18n): string {
  if (n === null) return i.t('common.unknownValue')
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${new Intl.NumberFormat(i.locale, { maximumFractionDigits: v < 10 ? 1 : 0 }).format(v)} ${units[u]}`
}

/** A table of a fact's entries; a long one (133 pending updates) shows its first rows and "show all N". */
function Table({ head, rows }: { head: string[]; rows: ComponentChildren[][] }) {
  return (
    <Collapsible items={rows} few={6}>
      {(shown) => (
        <div class="table-scroll">
          <table class="mini">
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((r, i) => (
                <tr key={i}>
                  {r.map((c, j) => (
                    <td key={j}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Collapsible>
  )
}

const Unknown = () => <span class="muted">{useI18n().t('common.unknownValue')}</span>

function When({ iso }: { iso: unknown }) {
  const i = useI18n()
  const s = str(iso)
  if (s === null) return <Unknown />
  return (
    <span title={i.date(s)}>
      {i.date(s)} <span class="muted small">({i.ago(s)})</span>
    </span>
  )
}

function Patches({ v }: { v: Obj }) {
  const i = useI18n()
  const { t } = i
  const items = arr(v.items)
  return (
    <>
      <p>{t('fact.patches.summary', { pending: numv(v.pending) ?? 0, security: numv(v.security) ?? 0 })}</p>
      <Facts
        rows={[
          [t('fact.patches.manager'), str(v.manager)],
          [t('fact.patches.lastCheck'), <When iso={v.lastCheck} />],
          [t('fact.patches.lastInstall'), <When iso={v.lastInstall} />],
          [t('fact.patches.oldest'), v.oldestPendingSince ? <When iso={v.oldestPendingSince} /> : '—'],
          [t('fact.patches.reboot'), <YesNo value={bool(v.rebootRequired)} good={false} />],
        ]}
      />
      {items.length > 0 && (
        <Table
          head={[t('fact.patches.name'), t('fact.patches.version'), t('fact.patches.security')]}
          rows={[...items].sort((a, b) => (b.security ? 1 : 0) - (a.security ? 1 : 0)).map((u) => [str(u.name), str(u.version) ?? '—', u.security ? <YesNo value={true} good={false} /> : t('common.no')])}
        />
      )}
    </>
  )
}

function Antimalware({ v }: { v: Obj }) {
  const { t } = useI18n()
  const p = arr(v.products)
  if (!p.length) return <p>{t('fact.av.none')}</p>
  return (
    <Table
      head={[t('fact.av.product'), t('fact.av.enabled'), t('fact.av.realTime'), t('fact.av.signatures')]}
      rows={p.map((x) => [
        str(x.name),
        <YesNo value={bool(x.enabled)} good />,
        <YesNo value={bool(x.realTime)} good />,
        <>
          {str(x.signatureVersion) ?? ''} {x.signatureUpdated ? <When iso={x.signatureUpdated} /> : <Unknown />}
        </>,
      ])}
    />
  )
}

function Firewall({ v }: { v: Obj }) {
  const { t } = useI18n()
  const p = arr(v.profiles)
  const inbound = (s: unknown) =>
    s === 'block' ? (
      <span class="yes-good">
        <StatusIcon status="ok" size={13} />
        {t('fact.fw.block')}
      </span>
    ) : s === 'allow' ? (
      <span class="yes-bad">
        <StatusIcon status="deviation" size={13} />
        {t('fact.fw.allow')}
      </span>
    ) : (
      <Unknown />
    )
  return (
    <>
      <Facts rows={[[t('fact.fw.backend'), str(v.backend)]]} />
      {p.length ? (
        <Table head={[t('fact.fw.profile'), t('fact.fw.enabled'), t('fact.fw.inbound')]} rows={p.map((x) => [str(x.name), <YesNo value={bool(x.enabled)} good />, inbound(x.defaultInbound)])} />
      ) : (
        <p>{t('fact.fw.none')}</p>
      )}
    </>
  )
}

function Backups({ v }: { v: Obj }) {
  const { t } = useI18n()
  const s = arr(v.sources)
  if (!s.length) return <p>{t('fact.bk.none')}</p>
  return (
    <Table
      head={[t('fact.bk.kind'), t('fact.bk.location'), t('fact.bk.last'), t('fact.bk.count')]}
      rows={s.map((x) => [
        str(x.kind),
        <code class="wrap">{str(x.location)}</code>,
        isObj(x.error) ? <ErrorText e={x.error} /> : <When iso={x.lastSuccess} />,
        numv(x.count) ?? '—',
      ])}
    />
  )
}

function Encryption({ v }: { v: Obj }) {
  const { t } = useI18n()
  return (
    <Table
      head={[t('fact.enc.volume'), t('fact.enc.system'), t('fact.enc.encrypted'), t('fact.enc.method')]}
      rows={arr(v.volumes).map((x) => [
        <code>{str(x.mount)}</code>,
        x.system ? t('common.yes') : t('common.no'),
        <YesNo value={bool(x.encrypted)} good />,
        [str(x.method), str(x.status)].filter(Boolean).join(' · ') || '—',
      ])}
    />
  )
}

function UserRights({ v }: { v: Obj }) {
  const { t } = useI18n()
  return (
    <>
      <Facts rows={[[t('fact.ur.group'), <code>{str(v.group)}</code>]]} />
      <Table
        head={[t('fact.ur.member'), t('fact.ur.kind'), t('fact.ur.builtin'), t('fact.ur.daily')]}
        rows={arr(v.members).map((x) => [str(x.name), str(x.kind), x.builtin ? t('common.yes') : t('common.no'), <YesNo value={bool(x.dailyUse)} good={false} />])}
      />
    </>
  )
}

function Passwords({ v }: { v: Obj }) {
  const i = useI18n()
  const { t } = i
  const list = (x: unknown) => (Array.isArray(x) ? (x.length ? x.join(', ') : t('common.none')) : <Unknown />)
  const lock = numv(v.screenLockSeconds)
  return (
    <Facts
      rows={[
        [t('fact.pw.guest'), <YesNo value={bool(v.guestEnabled)} good={false} />],
        [t('fact.pw.nopw'), list(v.accountsWithoutPassword)],
        [t('fact.pw.default'), v.defaultAccountsEnabled === undefined ? <Unknown /> : list(v.defaultAccountsEnabled)],
        [t('fact.pw.minLength'), numv(v.minPasswordLength) ?? <Unknown />],
        [t('fact.pw.screenLock'), lock === null ? <Unknown /> : lock === 0 ? t('fact.pw.never') : `${i.num(Math.round(lock / 60))} min`],
      ]}
    />
  )
}

function Segmentation({ v }: { v: Obj }) {
  const { t } = useI18n()
  const l = arr(v.listening)
  if (!l.length) return <p>{t('fact.seg.none')}</p>
  const sorted = [...l].sort((a, b) => (b.risky ? 1 : 0) - (a.risky ? 1 : 0) || (numv(a.port) ?? 0) - (numv(b.port) ?? 0))
  return (
    <Table
      head={[t('fact.seg.port'), t('fact.seg.address'), t('fact.seg.process'), t('fact.seg.risky')]}
      rows={sorted.map((x) => [
        `${numv(x.port)}/${str(x.protocol)}`,
        <code>{str(x.address)}</code>,
        str(x.process) ?? '—',
        x.risky ? (
          <span class="yes-bad">
            <StatusIcon status="deviation" size={13} />
            {str(x.risky)}
          </span>
        ) : (
          '—'
        ),
      ])}
    />
  )
}

function Inventory({ v }: { v: Obj }) {
  const i = useI18n()
  const { t } = i
  const val = (x: unknown) => (x === null || x === undefined ? <Unknown /> : String(x))
  const disks = arr(v.disks)
  return (
    <Facts
      rows={[
        [t('fact.inv.os'), `${str(v.osName) ?? ''} ${str(v.osVersion) ?? ''}${v.osBuild ? ` (${str(v.osBuild)})` : ''}`],
        [t('fact.inv.manufacturer'), val(v.manufacturer)],
        [t('fact.inv.model'), val(v.model)],
        [t('fact.inv.serial'), val(v.serial)],
        [t('fact.inv.cpu'), val(v.cpu)],
        [t('fact.inv.cores'), val(v.cores)],
        [t('fact.inv.memory'), bytes(numv(v.memoryBytes), i)],
        [t('fact.inv.virtual'), <YesNo value={bool(v.virtual)} />],
        [t('fact.inv.disks'), disks.length ? disks.map((d) => `${str(d.name)} ${bytes(numv(d.sizeBytes), i)}${d.type ? ` ${str(d.type)}` : ''}`).join(', ') : '—'],
      ]}
    />
  )
}

function ErrorText({ e }: { e: unknown }) {
  const { t } = useI18n()
  const o = isObj(e) ? e : {}
  return (
    <span class="fact-error">
      <StatusIcon status="unknown" size={13} />
      {t('fact.error', { code: str(o.code) ?? '?', msg: str(o.message) ?? '' })}
    </span>
  )
}

const VIEWS: Record<string, (p: { v: Obj }) => ComponentChildren> = {
  'base.patches': Patches,
  'base.antimalware': Antimalware,
  'base.firewall': Firewall,
  'base.backups': Backups,
  'base.encryption': Encryption,
  'base.user-rights': UserRights,
  'base.passwords': Passwords,
  'base.segmentation': Segmentation,
  'base.inventory': Inventory,
}

/** One fact slot: its readable view, or why it could not be read; raw JSON behind a toggle. */
export function FactView({ id, value }: { id: string; value: unknown }) {
  const { t } = useI18n()
  const View = VIEWS[id]
  let body: ComponentChildren
  if (isObj(value) && isObj(value.error)) body = <ErrorText e={value.error} />
  else if (View && isObj(value)) body = <View v={value} />
  else body = null
  return (
    <div class="fact">
      {body}
      <details class="raw">
        <summary>{t('common.showRaw')}</summary>
        <pre>{displayText(JSON.stringify(value, null, 2), { multiline: true, max: 1_000_000 })}</pre>
      </details>
    </div>
  )
}
