// Set-based writes: many rows in one statement with one parameter, a JSON array that
// json_to_recordset turns back into rows typed by the table's own column definitions. A multi-row
// VALUES list takes one parameter per value (parsed and bound one by one, and capped at 65,535 per
// statement); this takes one per batch, on PGlite and Postgres alike.
import { getTableColumns, sql, type SQL } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './client.js'

// Rows per statement: large enough that round trips do not count, small enough that the decoded
// batch stays in memory (json_to_recordset materializes its rows, spilling past work_mem).
const ROWS_PER_STATEMENT = 2000

type Row<T extends PgTable> = T['$inferInsert']

/**
 * `json_to_recordset($1::json) as r("field" type, …)`: the rows' `fields` (drizzle field names, so
 * the JSON is the rows as they are) typed as their columns. Values must be as JSON shows them to
 * Postgres: jsonb columns as JSON values, arrays as arrays, timestamps as Dates (ISO strings).
 */
function recordset<T extends PgTable>(table: T, fields: string[], rows: Partial<Row<T>>[]): SQL {
  const columns = getTableColumns(table)
  const definitions = fields.map((f) => sql`${sql.identifier(f)} ${sql.raw(columns[f]!.getSQLType())}`)
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as r(${sql.join(definitions, sql`, `)})`
}

function columnsOf<T extends PgTable>(table: T, fields: string[]) {
  const columns = getTableColumns(table)
  return fields.map((f) => {
    const column = columns[f]
    if (!column) throw new Error(`many-rows: ${f} is not a column`)
    return { column: sql.identifier(column.name), field: sql`r.${sql.identifier(f)}` }
  })
}

/**
 * Runs `statement` for each batch of rows in turn. The next batch's statement (its JSON) is built
 * while the database runs the current one, so the two overlap; one statement is in flight at a time.
 */
async function inBatches<R>(db: Db, rows: R[], statement: (batch: R[]) => SQL): Promise<void> {
  let running: Promise<unknown> | undefined
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const next = statement(rows.slice(i, i + ROWS_PER_STATEMENT))
    await running
    running = db.execute(next)
  }
  await running
}

/** Inserts `rows`, each with the same fields (a field left out of the first row gets its column default). */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: Row<T>[]): Promise<void> {
  if (!rows.length) return
  const fields = Object.keys(rows[0]!)
  const columns = columnsOf(table, fields)
  const into = sql.join(
    columns.map((c) => c.column),
    sql`, `,
  )
  const values = sql.join(
    columns.map((c) => c.field),
    sql`, `,
  )
  // raw: drizzle has no builder for inserting from a set-returning function
  await inBatches(db, rows, (batch) => sql`insert into ${table} (${into}) select ${values} from ${recordset(table, fields, batch)}`)
}

/** Updates the rows whose `key` field matches, setting every other field the rows carry (the same in each row). */
export async function updateRows<T extends PgTable>(db: Db, table: T, key: keyof Row<T> & string, rows: Partial<Row<T>>[]): Promise<void> {
  if (!rows.length) return
  const fields = Object.keys(rows[0]!)
  const [match] = columnsOf(table, [key])
  const sets = columnsOf(
    table,
    fields.filter((f) => f !== key),
  ).map((c) => sql`${c.column} = ${c.field}`)
  // raw: drizzle has no builder for updating from a set-returning function
  await inBatches(db, rows, (batch) => sql`update ${table} set ${sql.join(sets, sql`, `)} from ${recordset(table, fields, batch)} where ${table}.${match!.column} = ${match!.field}`)
}
