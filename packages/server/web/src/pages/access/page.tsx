// Who holds access (admins): enrollment tokens, API keys and people — list, create, revoke, new passwords. Every action
// lands in the audit log; the link at the top leads there.
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card } from '../../components.js'
import { AccessTabs } from '../../actions.js'
import { Tokens } from './tokens.js'
import { ApiKeys } from './api-keys.js'
import { People } from './people.js'

export function AccessPage() {
  const { t } = useI18n()
  if (!useIsAdmin()) return <p class="notice">{t('access.viewer')}</p>
  return (
    <div class="narrow">
      <AccessTabs on="access" />
      <h1 class="page-title">{t('access.title')}</h1>
      <p class="muted">{t('access.intro')}</p>
      <Card title={t('access.people')} id="people">
        <People />
      </Card>
      <Card title={t('access.tokens')} id="tokens">
        <Tokens />
      </Card>
      <Card title={t('access.apiKeys')} id="api-keys">
        <ApiKeys />
      </Card>
    </div>
  )
}
