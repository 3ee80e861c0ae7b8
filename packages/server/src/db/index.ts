import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema.js'

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
