// The logs: exercises, penetration tests, trainings, restore tests — each current by its newest entry.
import { RESTORE_RESULT_LABEL, SCENARIO_LABEL } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { ReadinessLayout } from './layout.js'
import { EntryList } from './entry-list.js'
import { ExerciseForm, PentestForm, RestoreForm, TrainingForm } from './log-forms.js'
import { useReadiness } from './data.js'
import { useDay } from './fields.js'

export function LogsPage() {
  const { t, tx } = useI18n()
  const view = useReadiness()
  const day = useDay()
  const staff = view.data?.company.staffCount ?? null
  return (
    <ReadinessLayout title={t('rd.tab.logs')} measures={['prep.exercises', 'prep.pentest', 'prep.training', 'base.backups']}>
      <EntryList
        kind="exercises" id="exercises" title={t('rd.logs.exercises')} newestFirst
        name={(e) => e.title}
        summary={(e) => (
          <>
            <strong>{day(e.date)}</strong> · {e.title} <span class="rd-tag">{tx(SCENARIO_LABEL[e.scenario])}</span>
            <div class="small muted">{t('rd.log.people', { n: e.participants.length })}{e.lessons && ` · ${e.lessons}`}</div>
          </>
        )}
        form={(f) => <ExerciseForm {...f} />}
      />
      <EntryList
        kind="pentests" id="pentests" title={t('rd.logs.pentests')} newestFirst
        name={(e) => `${e.tester} ${e.date}`}
        summary={(e) => {
          const open = e.findings.filter((f) => f.fixedOn === null).length
          return (
            <>
              <strong>{day(e.date)}</strong> · {e.tester}
              {open > 0 && <span class="rd-tag rd-tag-bad">{t('rd.log.openFindings', { n: open })}</span>}
              <div class="small muted">{e.scope}</div>
            </>
          )
        }}
        form={(f) => <PentestForm {...f} />}
      />
      <EntryList
        kind="trainings" id="trainings" title={t('rd.logs.trainings')} newestFirst
        intro={<p class="small muted">{staff === null ? t('rd.log.staffMissing') : t('rd.log.staffHint', { n: staff })}</p>}
        name={(e) => e.topic}
        summary={(e) => (
          <>
            <strong>{day(e.date)}</strong> · {e.topic}
            <div class="small muted">{t('rd.log.people', { n: e.participants.length })}</div>
          </>
        )}
        form={(f) => <TrainingForm {...f} />}
      />
      <EntryList
        kind="restore-tests" id="restore-tests" title={t('rd.logs.restore')} newestFirst
        name={(e) => e.source}
        summary={(e) => (
          <>
            <strong>{day(e.date)}</strong> · {e.source} <span class={`rd-tag ${e.result === 'success' ? '' : 'rd-tag-bad'}`}>{tx(RESTORE_RESULT_LABEL[e.result])}</span>
            {e.notes && <div class="small muted">{e.notes}</div>}
          </>
        )}
        form={(f) => <RestoreForm {...f} sources={view.data?.backupSources ?? []} />}
      />
    </ReadinessLayout>
  )
}
