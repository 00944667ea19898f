// Every module's tables, for drizzle's typed client and for drizzle-kit's migration generator.
export * from '../modules/reference/tables.js'
export * from '../modules/audit/tables.js'
export * from '../modules/auth/tables.js'
export * from '../modules/calendar/tables.js'
export * from '../modules/review/tables.js'
export * from '../modules/notices/tables.js'
export * from '../modules/catalog/tables.js'
