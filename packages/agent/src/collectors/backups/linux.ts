// base.backups on Linux: the sources in the agent config (restic, borg, folder) plus Timeshift when it is set up.
// A source that cannot be read carries its error; the others are still reported.
import { exists, FactFailure, listDir, systemTimeZone } from '../../system.js'
import type { Collector } from '../types.js'
import { errorSource, readConfiguredSource, type Source } from './configured.js'
import { parseTimeshiftSnapshotNames } from './parse-linux.js'

// Where Timeshift's snapshot folders can be seen: rsync mode on the root device, or the backup device while mounted.
const TIMESHIFT_DIRS = ['/timeshift/snapshots', '/run/timeshift/backup/timeshift/snapshots']

/** Timeshift counts only when it is set up (its config exists); a set-up Timeshift whose snapshots are not visible is an error, not "none". */
export async function detectTimeshift(): Promise<Source | null> {
  if (!(await exists('/etc/timeshift/timeshift.json')) && !(await exists('/etc/timeshift.json'))) return null
  for (const dir of TIMESHIFT_DIRS) {
    if (!(await exists(dir))) continue
    try {
      const s = parseTimeshiftSnapshotNames(await listDir(dir), await systemTimeZone())
      return { kind: 'timeshift', location: dir, lastSuccess: s.lastSuccess, count: s.count }
    } catch (err) {
      return errorSource('timeshift', dir, err)
    }
  }
  return errorSource('timeshift', '/etc/timeshift/timeshift.json', new FactFailure('failed', 'Timeshift is set up, but its snapshot folder is not mounted or readable'))
}

export const collector: Collector<'base.backups'> = {
  id: 'base.backups',
  async collect(ctx) {
    const sources: Source[] = []
    for (const c of ctx.config.backups) sources.push(await readConfiguredSource(c))
    const ts = await detectTimeshift()
    if (ts) sources.push(ts)
    return { sources: sources.slice(0, 50) }
  },
}
