// Settings (admins): alert channels, alert timing, thresholds — one card each.
import { useI18n } from '../../i18n.js'
import { useIsAdmin } from '../../session.js'
import { Card } from '../../components.js'
import { Channels } from './channels.js'
import { AlertTiming } from './alert-timing.js'
import { Thresholds } from './thresholds.js'

export function SettingsPage() {
  const { t } = useI18n()
  if (!useIsAdmin()) return <p class="notice">{t('settings.viewer')}</p>
  return (
    <div class="narrow">
      <h1 class="page-title">{t('settings.title')}</h1>
      <Card title={t('settings.channels')}>
        <Channels />
      </Card>
      <Card title={t('settings.timing')} id="alert-timing">
        <AlertTiming />
      </Card>
      <Card title={t('settings.thresholds')}>
        <Thresholds />
      </Card>
    </div>
  )
}
