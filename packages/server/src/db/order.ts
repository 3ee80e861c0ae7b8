// Ordering by a list of @lagebild/shared: the list's own order, not a second copy of its values in SQL.
import { sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

/** Ranks a text column by the position of its value in `order` (first = 0); anything else comes last. */
export const rankBy = (column: SQLiteColumn, order: readonly string[]): SQL =>
  sql`case ${column} ${sql.join(
    order.map((v, i) => sql`when ${v} then ${i}`),
    sql` `,
  )} else ${order.length} end`
