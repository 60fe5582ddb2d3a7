/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Knex } from 'knex';

/** A column that {@link updateRowsById} writes. */
export interface UpdateColumn {
  name: string;
  /** SQL type the value is cast to (values travel as text). Default: text, no cast. */
  type?: 'bigint' | 'integer';
  /** When the row's value is null, keep the current one instead of writing null. */
  keepWhenNull?: boolean;
}

export type SqlDialect = 'pg' | 'sqlite';

/** The dialect of a knex client, for the statements knex cannot build. */
export function sqlDialect(db: Knex): SqlDialect | undefined {
  const client = String(db.client.config.client);
  if (client === 'pg' || client === 'postgres' || client === 'postgresql') {
    return 'pg';
  }
  return client.includes('sqlite') ? 'sqlite' : undefined;
}

/** Ids are unique within a batch. */
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

const quote = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`not a plain column or table name: ${name}`);
  }
  return `"${name}"`;
};

/**
 * Builds one `UPDATE … FROM (VALUES …)` statement that writes a different
 * value to each row, matched by `id`. Rows go in id order, so two such
 * statements always lock rows in the same order. Pure, for a table test.
 */
export function buildUpdateById(
  dialect: SqlDialect,
  table: string,
  columns: UpdateColumn[],
  rows: Array<{ id: string } & Record<string, unknown>>,
): { sql: string; bindings: unknown[] } {
  if (rows.length === 0) throw new Error('no rows to update');
  const t = quote(table);
  const names = ['id', ...columns.map(c => c.name)];
  const sorted = [...rows].sort(byId);
  const bindings: unknown[] = [];
  const tuples = sorted.map(row => {
    for (const n of names) {
      const value = row[n];
      bindings.push(value === undefined || value === null ? null : value);
    }
    return `(${names.map(() => '?').join(', ')})`;
  });
  // SQLite names the columns of VALUES column1, column2…; PostgreSQL takes an alias list.
  const source =
    dialect === 'pg'
      ? `(values ${tuples.join(', ')}) as "v"(${names.map(quote).join(', ')})`
      : `(select ${names
          .map((n, i) => `"column${i + 1}" as ${quote(n)}`)
          .join(', ')} from (values ${tuples.join(', ')})) as "v"`;
  const assignments = columns.map(c => {
    const value = c.type
      ? `cast("v".${quote(c.name)} as ${c.type})`
      : `"v".${quote(c.name)}`;
    return `${quote(c.name)} = ${
      c.keepWhenNull ? `coalesce(${value}, ${t}.${quote(c.name)})` : value
    }`;
  });
  return {
    sql: `update ${t} set ${assignments.join(
      ', ',
    )} from ${source} where ${t}."id" = "v"."id"`,
    bindings,
  };
}

/**
 * Writes many rows' values in one statement per batch (see buildUpdateById).
 * Rows that no longer exist are skipped, never re-created.
 */
export async function updateRowsById(
  db: Knex | Knex.Transaction,
  table: string,
  columns: UpdateColumn[],
  rows: Array<{ id: string } & Record<string, unknown>>,
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = sqlDialect(db as Knex);
  if (!dialect) {
    // Other databases: one statement per row, still in id order.
    const sorted = [...rows].sort(byId);
    for (const row of sorted) {
      const update: Record<string, unknown> = {};
      for (const c of columns) {
        const v = row[c.name];
        if (v === undefined || (v === null && c.keepWhenNull)) continue;
        update[c.name] = v;
      }
      await db(table).where({ id: row.id }).update(update);
    }
    return;
  }
  const { sql, bindings } = buildUpdateById(dialect, table, columns, rows);
  await db.raw(sql, bindings as Knex.RawBinding[]);
}
