import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema.js'
import { ConfigError } from '../config.js'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url))

/** Opens (and creates) the one SQLite file under the data directory, in WAL mode, and applies the committed migrations. */
export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const sqlite = new Database(join(dataDir, 'lagebild.sqlite'))
  // A new database gives pages freed by the retention job back to the file system bit by bit (incremental_vacuum);
  // the mode can only be chosen before the first table exists. An older database reuses its free pages instead.
  if (sqlite.pragma('page_count', { simple: true }) === 0) sqlite.pragma('auto_vacuum = INCREMENTAL')
  sqlite.pragma('journal_mode = WAL')
  // NORMAL is durable across application crashes in WAL mode; an OS crash may lose the last transactions.
  // We acknowledge reports only after commit, so we choose FULL: an ack is never lost.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle(sqlite, { schema }) as Db
  migrate(db, { migrationsFolder: MIGRATIONS })
  return db
}

export { schema }

/** The data directory: created, opened and migrated, or a line saying what is wrong with LAGEBILD_DATA_DIR. */
export function openDataDir(dataDir: string): Db {
  try {
    return openDb(dataDir)
  } catch (err) {
    const c = (err as NodeJS.ErrnoException)?.code ?? ''
    const setting = `LAGEBILD_DATA_DIR=${dataDir}`
    if (c === 'EACCES' || c === 'EPERM' || c === 'EROFS' || c === 'SQLITE_CANTOPEN' || c === 'SQLITE_READONLY')
      throw new ConfigError(`${setting}: cannot create or write there (${c}); choose a folder this user may write`, `dort kann nicht geschrieben werden (${c}); einen beschreibbaren Ordner wählen`)
    if (c === 'ENOTDIR' || c === 'EEXIST')
      throw new ConfigError(`${setting}: a file is in the way where a folder is needed (${c}); choose another path`, `dort liegt eine Datei statt eines Ordners (${c}); einen anderen Pfad wählen`)
    if (c === 'SQLITE_NOTADB' || c === 'SQLITE_CORRUPT')
      throw new ConfigError(`${setting}: lagebild.sqlite there is not a Lagebild database (${c}); move it away or choose another folder`, `lagebild.sqlite dort ist keine Lagebild-Datenbank (${c}); verschieben oder anderen Ordner wählen`)
    if (c === 'SQLITE_BUSY' || c === 'SQLITE_LOCKED')
      throw new ConfigError(`${setting}: the database is locked by another program (${c}); stop it or choose another folder`, `Datenbank von einem anderen Programm gesperrt (${c}); dieses beenden oder anderen Ordner wählen`)
    if (c === 'ENOSPC' || c === 'SQLITE_FULL') throw new ConfigError(`${setting}: the disk is full (${c})`, `Datenträger voll (${c})`)
    throw new ConfigError(`${setting}: cannot open the database (${c || (err as Error).message})`, 'Datenbank lässt sich nicht öffnen')
  }
}

