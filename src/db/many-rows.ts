// Set-based writes: many rows in one statement with one parameter, a JSON array that
// jsonb_to_recordset turns back into rows typed by the table's own column definitions. A multi-row
// VALUES list takes one parameter per value (parsed and bound one by one, and capped at 65,535 per
// statement); this takes one per batch, on PGlite and Postgres alike. (jsonb rather than json: the
// document is parsed once, where json_to_recordset parses each jsonb field's text a second time.)
import { getTableColumns, sql, type SQL, type SQLChunk } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Db } from './client.js'

// Rows per statement: large enough that round trips do not count, small enough that the decoded
// batch stays in memory (jsonb_to_recordset materializes its rows, spilling past work_mem) and that
// building one batch overlaps the database's work on the previous one.
export const ROWS_PER_STATEMENT = 2000

type Row<T extends PgTable> = T['$inferInsert']

const list = (parts: SQLChunk[]) => sql.join(parts, sql`, `)

/** `"field" type, …`: the fields typed as their columns. */
function definitions<T extends PgTable>(table: T, fields: string[]): SQL {
  const columns = getTableColumns(table)
  return list(fields.map((f) => sql`${sql.identifier(f)} ${sql.raw(columns[f]!.getSQLType())}`))
}

/**
 * `jsonb_to_recordset($1::jsonb) as r("field" type, …)`: the rows' `fields` (drizzle field names, so
 * the JSON is the rows as they are) typed as their columns. Values must be as JSON shows them to
 * Postgres: jsonb columns as JSON values, arrays as arrays, timestamps as Dates (ISO strings).
 */
function recordset<T extends PgTable>(table: T, fields: string[], rows: Partial<Row<T>>[]): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${definitions(table, fields)})`
}

/** `jsonb_to_record($1::jsonb) as c("field" type, …)`: one row of values, typed the same way. */
function record<T extends PgTable>(table: T, fields: string[], row: Partial<Row<T>>): SQL {
  return sql`jsonb_to_record(${JSON.stringify(row)}::jsonb) as c(${definitions(table, fields)})`
}

/** Each field's column, and the field in the record `source` (r or c). */
function columnsOf<T extends PgTable>(table: T, fields: string[], source: 'r' | 'c' = 'r') {
  const columns = getTableColumns(table)
  return fields.map((f) => {
    const column = columns[f]
    if (!column) throw new Error(`many-rows: ${f} is not a column`)
    return { column: sql.identifier(column.name), field: sql`${sql.raw(source)}.${sql.identifier(f)}` }
  })
}

/**
 * Writes batches of rows in order, one statement in flight at a time, without waiting for a statement
 * before building the next: the caller prepares the next rows (and this their JSON) while the
 * database runs the previous statement. `insert` and `update` return once their last statement is
 * sent; `done` waits for it, and reports the first failure (which also aborts the transaction).
 */
export class RowWriter {
  private running: Promise<unknown> = Promise.resolve()
  /** The statements `together` is collecting (null: each is sent as it comes). */
  private held: SQL[] | null = null

  constructor(private readonly db: Db) {}

  private async send(statement: SQL): Promise<void> {
    if (this.held) {
      this.held.push(statement)
      return
    }
    await this.running
    // A drizzle query runs each time it is awaited: made a promise here, it runs once.
    this.running = Promise.resolve(this.db.execute(statement))
    // Awaited by the next send or by done(); until then a failure must not count as unhandled.
    this.running.catch(() => {})
  }

  /**
   * Inserts `rows`, each with the same fields (a field the first row leaves out gets its column
   * default), and with `shared`'s fields, the same in every row, sent once per statement.
   */
  async insert<T extends PgTable>(table: T, rows: Partial<Row<T>>[], shared: Partial<Row<T>> = {}): Promise<void> {
    if (!rows.length) return
    const fields = Object.keys(rows[0]!)
    const sharedFields = Object.keys(shared)
    const columns = [...columnsOf(table, fields, 'r'), ...columnsOf(table, sharedFields, 'c')]
    const sharedRecord = sharedFields.length ? sql` cross join ${record(table, sharedFields, shared)}` : sql``
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const batch = rows.slice(i, i + ROWS_PER_STATEMENT)
      // raw: drizzle has no builder for inserting from a set-returning function
      await this.send(sql`insert into ${table} (${list(columns.map((c) => c.column))}) select ${list(columns.map((c) => c.field))} from ${recordset(table, fields, batch)}${sharedRecord}`)
    }
  }

  /** Updates the rows whose `key` field matches, setting every other field the rows carry (the same in each row). */
  async update<T extends PgTable>(table: T, key: keyof Row<T> & string, rows: Partial<Row<T>>[]): Promise<void> {
    if (!rows.length) return
    const fields = Object.keys(rows[0]!)
    const [match] = columnsOf(table, [key])
    const sets = columnsOf(
      table,
      fields.filter((f) => f !== key),
    ).map((c) => sql`${c.column} = ${c.field}`)
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const batch = rows.slice(i, i + ROWS_PER_STATEMENT)
      // raw: drizzle has no builder for updating from a set-returning function
      await this.send(sql`update ${table} set ${list(sets)} from ${recordset(table, fields, batch)} where ${table}.${match!.column} = ${match!.field}`)
    }
  }

  /**
   * Sends the writes `build` makes as one statement: the first ones as data-modifying WITH queries of
   * the last (Postgres runs each exactly once; foreign keys are checked at the end of the statement,
   * so a row may refer to one inserted beside it). One round trip instead of one per table, and the
   * database's work on it overlaps with the caller building the next group: the next group's rows are
   * made while the database writes this one, and the database never waits between the tables of a
   * group for the caller to link the next table's rows (the audit chain's digests, say).
   */
  async together(build: () => Promise<void>): Promise<void> {
    const held: SQL[] = (this.held = [])
    try {
      await build()
    } finally {
      this.held = null
    }
    if (held.length <= 1) {
      if (held.length) await this.send(held[0]!)
      return
    }
    const last = held.pop()!
    // raw: drizzle's $with takes queries it builds itself, not the raw statements above
    await this.send(sql`with ${list(held.map((statement, i) => sql`${sql.raw(`w${i}`)} as (${statement})`))} ${last}`)
  }

  /** Waits for the last statement. */
  async done(): Promise<void> {
    await this.running
  }
}
