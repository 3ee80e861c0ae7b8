import { useState } from 'preact/hooks'
import { DEFAULT_TOKEN_USES, MAX_TOKEN_USES, type OsFamily } from '@lagebild/shared'
import { api, type EnrollTokenOut, type InstallInfo } from '../api.js'
import { useLoad } from '../hooks.js'
import { useI18n } from '../i18n.js'
import { useIsAdmin } from '../session.js'
import { Card, ErrorBox, Loading } from '../components.js'
import { CopyBlock } from '../actions.js'

type Os = OsFamily
type Token = EnrollTokenOut

/** The install line with the token in place of the server's placeholder. */
export const lineFor = (info: InstallInfo, line: string, token: string) => line.split(info.tokenPlaceholder).join(token)

function InstallLines({ info, token, os }: { info: InstallInfo; token: string; os: Os }) {
  const { t } = useI18n()
  return (
    <>
      <p class="small">{t(`enroll.shell.${os}`)}</p>
      <CopyBlock text={lineFor(info, info.lines[os], token)} label={t(`enroll.shell.${os}`)} />
      <p class="small muted">{t(`enroll.does.${os}`)}</p>
      {os === 'windows' && (
        <>
          <p class="small">{t('enroll.silent', { url: `${info.server}/install.ps1` })}</p>
          <CopyBlock text={lineFor(info, info.lines.windowsSilent, token)} label={t('enroll.silent', { url: `${info.server}/install.ps1` })} />
          <p class="small muted">{t('enroll.silent.codes')}</p>
        </>
      )}
      <p class="small muted">{t('enroll.uninstall')}</p>
    </>
  )
}

/** What an admin must know about the address before pasting the lines on other PCs. */
function AddressNotes({ info }: { info: InstallInfo }) {
  const { t } = useI18n()
  return (
    <>
      {info.loopback && <p class="notice" role="alert" data-testid="loopback">{t('enroll.loopback', { server: info.server })}</p>}
      {!info.loopback && info.source === 'request' && <p class="small muted">{t('enroll.fromRequest')}</p>}
      {!info.tls && !info.loopback && <p class="notice small">{t('enroll.plainHttp')}</p>}
      {info.privateCa && <p class="small muted">{t('enroll.privateCa')}</p>}
      {info.problem ? <p class="notice" role="alert">{t('enroll.noPackages', { problem: info.problem })}</p> : info.version && <p class="small muted">{t('enroll.version', { version: info.version })}</p>}
    </>
  )
}

export function EnrollPage() {
  const { t, date } = useI18n()
  const admin = useIsAdmin()
  const [expires, setExpires] = useState('7d')
  const [uses, setUses] = useState('')
  const [mayReplace, setMayReplace] = useState(false)
  const [tags, setTags] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | null>(null)
  const [token, setToken] = useState<Token | null>(null)
  const [os, setOs] = useState<Os>(() => (navigator.userAgent.includes('Windows') ? 'windows' : navigator.userAgent.includes('Mac') ? 'macos' : 'linux'))
  const info = useLoad('install-info', () => api<InstallInfo>('/install-info'))

  if (!admin) return <p class="notice">{t('enroll.viewer')}</p>

  const create = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const tagList = tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const body = { expires, ...(uses ? { uses: Number(uses) } : {}), ...(tagList.length ? { tags: tagList } : {}), ...(mayReplace ? { mayReplace } : {}) }
      setToken(await api<Token>('/enroll-tokens', { method: 'POST', body }))
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="narrow">
      <h1 class="page-title">{t('enroll.title')}</h1>
      {info.data && <AddressNotes info={info.data} />}
      <Card>
        <p>{t('enroll.intro')}</p>
        <form class="filter-row" onSubmit={create}>
          <label class="field">
            <span>{t('enroll.expires')}</span>
            <select name="expires" value={expires} onChange={(e) => setExpires(e.currentTarget.value)}>
              {(mayReplace ? (['1h', '1d'] as const) : (['1h', '1d', '7d', '30d'] as const)).map((v) => (
                <option key={v} value={v}>
                  {t(`enroll.expires.${v}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{t('enroll.uses')}</span>
            <input type="number" name="uses" min={1} max={MAX_TOKEN_USES} placeholder={String(DEFAULT_TOKEN_USES)} value={uses} onInput={(e) => setUses(e.currentTarget.value)} />
          </label>
          <label class="field grow">
            <span>{t('enroll.tags')}</span>
            <input value={tags} placeholder="office, laptop" pattern="^[\w.\-]{1,50}(\s*,\s*[\w.\-]{1,50})*$" onInput={(e) => setTags(e.currentTarget.value)} />
          </label>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('enroll.create')}
          </button>
        </form>
        <label class="check">
          <input
            type="checkbox"
            name="mayReplace"
            checked={mayReplace}
            onChange={(e) => {
              setMayReplace(e.currentTarget.checked)
              if (e.currentTarget.checked && expires !== '1h' && expires !== '1d') setExpires('1h')
            }}
          />
          {t('enroll.mayReplace')}
        </label>
        <div class="check-help small muted">{t('enroll.mayReplace.help')}</div>
        <p class="small muted" data-reenroll-help>{t('enroll.reenroll')}</p>
        {error && <ErrorBox error={error} />}
      </Card>

      {token && (
        <Card title={t('enroll.token')}>
          <CopyBlock text={token.token} label={t('enroll.token')} />
          <p class="small muted" data-token-limits>
            {t('enroll.expiresAt', { when: date(token.expiresAt) })} · {t('enroll.usesOf', { n: token.maxUses })}
            {token.mayReplace ? ` · ${t('access.token.mayReplace')}` : ''}
          </p>
          <div class="tabs" role="tablist">
            {(['linux', 'macos', 'windows'] as const).map((o) => (
              <button type="button" role="tab" key={o} aria-selected={os === o} class={os === o ? 'on' : ''} onClick={() => setOs(o)}>
                {t(`enroll.${o}`)}
              </button>
            ))}
          </div>
          {info.data ? <InstallLines info={info.data} token={token.token} os={os} /> : info.error ? <ErrorBox error={info.error} /> : <Loading />}
        </Card>
      )}
    </div>
  )
}
