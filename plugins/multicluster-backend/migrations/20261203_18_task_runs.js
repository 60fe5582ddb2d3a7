/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * The inventory's scheduled rounds (discovery, probing) report a heartbeat
 * while they run, one row per task. Backstage's scheduler holds a global
 * task until its timeout when the replica running it dies; a replica that
 * sees the heartbeat stop cancels that run so another takes over at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('multicluster_task_runs', table => {
    table.comment(
      'The current or last run of each inventory task, with its heartbeat',
    );
    table.string('task_id', 128).primary().notNullable();
    table.string('runner', 255).notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('heartbeat_at').notNullable();
    table.bigInteger('finished_at').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('multicluster_task_runs');
};
