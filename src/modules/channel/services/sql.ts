/** What the raw-SQL methods use of MikroORM's entity manager. */
export type SqlManager = { execute: (sql: string, params?: unknown[]) => Promise<any[]> }

/**
 * A part of the channel module's service that runs its own SQL. It holds the module's base
 * repository under the name Medusa's `@InjectManager` / `@InjectTransactionManager` decorators look
 * for, so its methods open (or join, when the caller passes one) a transaction exactly as the
 * service's own methods do.
 */
export abstract class SqlStore {
  constructor(protected readonly baseRepository_: unknown) {}
}
