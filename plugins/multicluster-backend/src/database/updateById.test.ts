/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TEST_DATABASE_IDS } from '@archipelago/multicluster-node-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import {
  buildUpdateById,
  updateRowsById,
  type UpdateColumn,
} from './updateById';

jest.setTimeout(60_000);

const COLUMNS: UpdateColumn[] = [
  { name: 'health' },
  { name: 'seen', type: 'bigint' },
  { name: 'reason', keepWhenNull: true },
];

describe('buildUpdateById', () => {
  it.each([
    [
      'pg' as const,
      'update "t" set "health" = "v"."health", "seen" = cast("v"."seen" as bigint), "reason" = coalesce("v"."reason", "t"."reason") from (values (?, ?, ?, ?), (?, ?, ?, ?)) as "v"("id", "health", "seen", "reason") where "t"."id" = "v"."id"',
    ],
    [
      'sqlite' as const,
      'update "t" set "health" = "v"."health", "seen" = cast("v"."seen" as bigint), "reason" = coalesce("v"."reason", "t"."reason") from (select "column1" as "id", "column2" as "health", "column3" as "seen", "column4" as "reason" from (values (?, ?, ?, ?), (?, ?, ?, ?))) as "v" where "t"."id" = "v"."id"',
    ],
  ])('builds one statement for %s, rows in id order', (dialect, sql) => {
    const built = buildUpdateById(dialect, 't', COLUMNS, [
      { id: 'b', health: 'healthy', seen: 2, reason: undefined },
      { id: 'a', health: 'unknown', seen: 1, reason: 'x' },
    ]);
    expect(built.sql).toBe(sql);
    expect(built.bindings).toEqual([
      'a',
      'unknown',
      1,
      'x',
      'b',
      'healthy',
      2,
      null,
    ]);
  });

  it.each([['bad name'], ['t;drop'], ['"q"']])('refuses the name %s', name => {
    expect(() => buildUpdateById('pg', name, COLUMNS, [{ id: 'a' }])).toThrow(
      /not a plain column or table name/,
    );
    expect(() => buildUpdateById('pg', 't', [{ name }], [{ id: 'a' }])).toThrow(
      /not a plain column or table name/,
    );
  });

  it('refuses an empty batch', () => {
    expect(() => buildUpdateById('pg', 't', COLUMNS, [])).toThrow(/no rows/);
  });
});

const databases = TestDatabases.create({ ids: TEST_DATABASE_IDS });

describe.each(databases.eachSupportedId())('updateRowsById on %s', id => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.schema.createTable('t', table => {
      table.string('id').primary();
      table.string('health').notNullable();
      table.bigInteger('seen').notNullable();
      table.text('reason').notNullable();
    });
  });
  afterAll(async () => {
    await knex.destroy();
  });

  it('writes each row its own values, keeps where asked, skips gone rows', async () => {
    await knex('t').insert([
      { id: 'a', health: 'unknown', seen: 0, reason: 'never probed' },
      { id: 'b', health: 'unknown', seen: 0, reason: 'never probed' },
    ]);
    await updateRowsById(knex, 't', COLUMNS, [
      { id: 'b', health: 'healthy', seen: 1_700_000_000_000, reason: null },
      { id: 'a', health: 'unreachable', seen: 5, reason: 'refused' },
      { id: 'gone', health: 'healthy', seen: 1, reason: 'x' },
    ]);
    const rows = await knex('t').orderBy('id').select();
    expect(rows.map(r => ({ ...r, seen: Number(r.seen) }))).toEqual([
      { id: 'a', health: 'unreachable', seen: 5, reason: 'refused' },
      {
        id: 'b',
        health: 'healthy',
        seen: 1_700_000_000_000,
        reason: 'never probed',
      },
    ]);
  });
});
