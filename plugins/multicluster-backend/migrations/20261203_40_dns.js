/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * What the DNS reconciler last published for each workload with a `dns`:
 * one row per workload, served by `GET /workloads/:name/dns` from any
 * replica. Removed once the workload's records are removed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('multicluster_dns_status', table => {
    table.comment('The DNS answers last published per workload');
    table.string('workload_name', 63).primary().notNullable();
    table.string('hostname', 253).notNullable().unique();
    table.string('zone', 253).notNullable();
    table.text('status').notNullable();
    table.bigInteger('applied_at').nullable();
    table.text('error').nullable();
    table.bigInteger('updated_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('multicluster_dns_status');
};
