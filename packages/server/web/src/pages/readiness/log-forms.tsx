// The forms of the logs: an exercise, a penetration test with its findings, a training, a restore test.
import {
  EXERCISE_SCENARIOS, PENTEST_SEVERITIES, RESTORE_RESULTS, RESTORE_RESULT_LABEL, SCENARIO_LABEL,
  type Entry, type RecordListInput,
} from '@lagebild/shared'
import { useI18n } from '../../i18n.js'
import { dataOf, RecordForm } from './entry-list.js'
import { Choice, LinesField, lines, numberOrNull, TextArea, TextField, today } from './fields.js'
import { saveEntry } from './data.js'

type Props<K extends 'exercises' | 'pentests' | 'trainings' | 'restore-tests'> = { entry: Entry<RecordListInput<K>> | null; done: () => void; cancel: () => void }
type Pentest = RecordListInput<'pentests'>

export function ExerciseForm({ entry, done, cancel }: Props<'exercises'>) {
  const { t } = useI18n()
  return (
    <RecordForm<RecordListInput<'exercises'>>
      initial={entry ? dataOf(entry) : { date: today(), scenario: 'ransomware', title: '', participants: [], lessons: '' }}
      send={(v) => saveEntry('exercises', entry?.id ?? null, { ...v, participants: lines(v.participants) })}
      check={(v) => (!v.title.trim() ? t('rd.log.title') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.log.date')} name="date" type="date" maxLength={10} value={v.date} set={(date) => set({ date })} />
            <Choice label={t('rd.log.scenario')} name="scenario" values={EXERCISE_SCENARIOS} labels={SCENARIO_LABEL} value={v.scenario} set={(scenario) => scenario && set({ scenario })} />
            <TextField label={t('rd.log.title')} name="title" maxLength={200} value={v.title} set={(title) => set({ title })} />
          </div>
          <LinesField label={t('rd.log.participants')} name="participants" maxItemLength={120} value={v.participants} set={(participants) => set({ participants })} />
          <TextArea label={t('rd.log.lessons')} name="lessons" maxLength={4000} value={v.lessons} set={(lessons) => set({ lessons })} />
        </>
      )}
    </RecordForm>
  )
}

function FindingsEditor({ v, set }: { v: Pentest; set: (p: Partial<Pentest>) => void }) {
  const { t } = useI18n()
  const change = (i: number, x: Partial<Pentest['findings'][number]>) => set({ findings: v.findings.map((f, j) => (j === i ? { ...f, ...x } : f)) })
  return (
    <fieldset class="findings">
      <legend>{t('rd.log.findings')}</legend>
      {v.findings.map((f, i) => (
        <div class="finding-row" key={i}>
          <input aria-label={t('rd.log.finding')} placeholder={t('rd.log.finding')} maxLength={200} value={f.title} onInput={(e) => change(i, { title: e.currentTarget.value })} />
          <select aria-label={t('rd.log.severity')} value={f.severity} onChange={(e) => change(i, { severity: e.currentTarget.value as typeof f.severity })}>
            {PENTEST_SEVERITIES.map((s) => <option key={s} value={s}>{t(`sev.${s}`)}</option>)}
          </select>
          <label class="inline">
            {t('rd.log.fixedOn')}
            <input type="date" value={f.fixedOn ?? ''} onInput={(e) => change(i, { fixedOn: e.currentTarget.value || null })} />
          </label>
          <button type="button" class="btn btn-small btn-ghost" aria-label={t('rd.log.finding.remove')} onClick={() => set({ findings: v.findings.filter((_, j) => j !== i) })}>✕</button>
        </div>
      ))}
      <button type="button" class="btn btn-small" onClick={() => set({ findings: [...v.findings, { title: '', severity: 'medium', fixedOn: null }] })}>+ {t('rd.log.finding.add')}</button>
    </fieldset>
  )
}

export function PentestForm({ entry, done, cancel }: Props<'pentests'>) {
  const { t } = useI18n()
  return (
    <RecordForm<Pentest>
      initial={entry ? dataOf(entry) : { date: today(), tester: '', scope: '', findings: [] }}
      send={(v) => saveEntry('pentests', entry?.id ?? null, { ...v, findings: v.findings.filter((f) => f.title.trim()) })}
      check={(v) => (!v.tester.trim() ? t('rd.log.tester') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.log.date')} name="date" type="date" maxLength={10} value={v.date} set={(date) => set({ date })} />
            <TextField label={t('rd.log.tester')} name="tester" maxLength={120} value={v.tester} set={(tester) => set({ tester })} />
          </div>
          <TextArea label={t('rd.log.scope')} name="scope" maxLength={2000} rows={2} value={v.scope} set={(scope) => set({ scope })} />
          <FindingsEditor v={v} set={set} />
        </>
      )}
    </RecordForm>
  )
}

export function TrainingForm({ entry, done, cancel }: Props<'trainings'>) {
  const { t } = useI18n()
  return (
    <RecordForm<RecordListInput<'trainings'>>
      initial={entry ? dataOf(entry) : { date: today(), topic: '', participants: [] }}
      send={(v) => saveEntry('trainings', entry?.id ?? null, { ...v, participants: lines(v.participants) })}
      check={(v) => (!v.topic.trim() ? t('rd.log.topic') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.log.date')} name="date" type="date" maxLength={10} value={v.date} set={(date) => set({ date })} />
            <TextField label={t('rd.log.topic')} name="topic" maxLength={200} value={v.topic} set={(topic) => set({ topic })} />
          </div>
          <LinesField label={t('rd.log.participants')} name="participants" maxItemLength={120} rows={6} value={v.participants} set={(participants) => set({ participants })} />
        </>
      )}
    </RecordForm>
  )
}

export function RestoreForm({ entry, done, cancel, sources }: Props<'restore-tests'> & { sources: string[] }) {
  const { t } = useI18n()
  return (
    <RecordForm<RecordListInput<'restore-tests'>>
      initial={entry ? dataOf(entry) : { date: today(), source: sources[0] ?? '', result: 'success', durationMinutes: null, notes: '' }}
      send={(v) => saveEntry('restore-tests', entry?.id ?? null, v)}
      check={(v) => (!v.source.trim() ? t('rd.log.source') : null)}
      done={done}
      cancel={cancel}
    >
      {(v, set) => (
        <>
          <div class="form-grid">
            <TextField label={t('rd.log.date')} name="date" type="date" maxLength={10} value={v.date} set={(date) => set({ date })} />
            <TextField
              label={t('rd.log.source')} name="source" maxLength={300} list="backup-sources" value={v.source} set={(source) => set({ source })}
              help={sources.length ? t('rd.log.sourceHint', { list: sources.join(', ') }) : undefined}
            />
            <Choice label={t('rd.log.result')} name="result" values={RESTORE_RESULTS} labels={RESTORE_RESULT_LABEL} value={v.result} set={(result) => result && set({ result })} />
            <TextField label={t('rd.log.duration')} name="durationMinutes" type="number" min={0} max={100000} maxLength={6} value={v.durationMinutes === null ? '' : String(v.durationMinutes)} set={(x) => set({ durationMinutes: numberOrNull(x) })} />
          </div>
          <datalist id="backup-sources">{sources.map((s) => <option key={s} value={s} />)}</datalist>
          <TextArea label={t('rd.log.notes')} name="notes" maxLength={2000} rows={2} value={v.notes} set={(notes) => set({ notes })} />
        </>
      )}
    </RecordForm>
  )
}
