// Availability windows per weekday, in quarter hours (the shared schema's rule); the same check as the server
// (windowProblem) runs while typing, so an end before the start or an overlap is said before anything is sent.
import { WEEKDAYS, WEEKDAY_LABEL, describeWindows, windowProblem, type Window } from '@lagebild/shared'
import { useI18n } from '../../i18n.js'

const QUARTERS = Array.from({ length: 97 }, (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`)
const OFFICE: Window[] = WEEKDAYS.slice(0, 5).map((day) => ({ day, from: '08:00', to: '18:00' }))
const ALWAYS: Window[] = WEEKDAYS.map((day) => ({ day, from: '00:00', to: '24:00' }))

export function WindowsEditor({ value, set, label }: { value: Window[]; set: (w: Window[]) => void; label: string }) {
  const { t, tx, lang } = useI18n()
  const problem = windowProblem(value)
  const change = (i: number, w: Partial<Window>) => set(value.map((x, j) => (j === i ? { ...x, ...w } : x)))
  return (
    <fieldset class="windows">
      <legend>{label}</legend>
      <div class="windows-presets">
        <button type="button" class="btn btn-small" onClick={() => set(OFFICE)}>{t('rd.windows.office')}</button>
        <button type="button" class="btn btn-small" onClick={() => set(ALWAYS)}>{t('rd.windows.always')}</button>
        <button type="button" class="btn btn-small btn-ghost" onClick={() => set([])}>{t('rd.windows.clear')}</button>
        <span class="small muted">{describeWindows(value, lang)}</span>
      </div>
      {value.map((w, i) => (
        <div class="window-row" key={i} data-window={i}>
          <select aria-label={t('rd.windows.day')} value={w.day} onChange={(e) => change(i, { day: e.currentTarget.value as Window['day'] })}>
            {WEEKDAYS.map((d) => <option key={d} value={d}>{tx(WEEKDAY_LABEL[d])}</option>)}
          </select>
          <select aria-label={t('rd.windows.from')} value={w.from} onChange={(e) => change(i, { from: e.currentTarget.value })}>
            {QUARTERS.slice(0, -1).map((q) => <option key={q} value={q}>{q}</option>)}
          </select>
          <span aria-hidden="true">–</span>
          <select aria-label={t('rd.windows.to')} value={w.to} onChange={(e) => change(i, { to: e.currentTarget.value })}>
            {QUARTERS.slice(1).map((q) => <option key={q} value={q}>{q}</option>)}
          </select>
          <button type="button" class="btn btn-small btn-ghost" aria-label={t('rd.windows.remove')} onClick={() => set(value.filter((_, j) => j !== i))}>✕</button>
        </div>
      ))}
      <button type="button" class="btn btn-small" onClick={() => set([...value, { day: 'mon', from: '08:00', to: '17:00' }])}>+ {t('rd.windows.add')}</button>
      {problem && <div class="field-error" role="alert">{tx(problem)}</div>}
    </fieldset>
  )
}
