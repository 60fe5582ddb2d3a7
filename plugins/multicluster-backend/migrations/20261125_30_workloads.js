/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * Workloads that stay placed: one row per workload (its newest revision, the
 * rollout in progress, the generation the reconciler last handled), its kept
 * revisions (desired state with Secret values sealed, and the writer's deploy
 * scope), one row per cluster it is placed on (what runs there, as last
 * seen), its event log, and the reconcile rounds (which replica ran each).
 * Timestamps are epoch milliseconds in BIGINT columns, as elsewhere.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workloads', table => {
    table.comment(
      'Workloads: the newest revision, rollout progress and what the reconciler last handled',
    );
    table.string('name', 63).primary().notNullable();
    table.string('owner', 255).notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('namespace', 63).notNullable();
    table.integer('revision').notNullable();
    // Bumped on every change a user makes (new revision, pause, resume, delete).
    table.integer('generation').notNullable().defaultTo(1);
    table.integer('observed_generation').notNullable().defaultTo(0);
    table.boolean('paused').notNullable().defaultTo(false);
    table.boolean('deleting').notNullable().defaultTo(false);
    table.string('phase', 16).notNullable().defaultTo('Progressing');
    table.text('reason').notNullable().defaultTo('');
    // The rollout of the newest revision (JSON), so a restarted backend continues it.
    table.text('rollout').nullable();
    // The newest revision every placed cluster ran ready: what a failed rollout returns to.
    table.integer('stable_revision').nullable();
    table.string('created_by', 255).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['owner', 'name'], 'workloads_owner_idx');
    table.index(['entity_ref'], 'workloads_entity_idx');
  });

  await knex.schema.createTable('workload_revisions', table => {
    table.comment(
      'Kept revisions of workloads: desired state (Secret values sealed) and the deploy scope of its writer',
    );
    table
      .string('workload_name', 63)
      .notNullable()
      .references('name')
      .inTable('workloads')
      .onDelete('CASCADE');
    table.integer('revision').notNullable();
    // The desired state with every Secret value replaced by a reference.
    table.text('spec').notNullable();
    // AES-256-GCM ciphertexts of the Secret values, by reference (JSON).
    table.text('secrets').notNullable().defaultTo('{}');
    // The clusters its writer may deploy to: "all" or permission criteria (JSON).
    table.text('scope').notNullable();
    table.string('cause', 255).notNullable();
    table.string('created_by', 255).nullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['workload_name', 'revision']);
  });

  await knex.schema.createTable('workload_clusters', table => {
    table.comment('Where each workload is placed and what runs there');
    table
      .string('workload_name', 63)
      .notNullable()
      .references('name')
      .inTable('workloads')
      .onDelete('CASCADE');
    table.string('cluster_id', 128).notNullable();
    table.string('cluster_name', 253).notNullable();
    // The revision applied there (0: none yet).
    table.integer('revision').notNullable().defaultTo(0);
    // Planned replicas per workload key (namespace/name), JSON: the planner's `current`.
    table.text('replicas').notNullable().defaultTo('{}');
    table.integer('desired_replicas').notNullable().defaultTo(0);
    table.integer('ready_replicas').notNullable().defaultTo(0);
    // The last drift found (fields we own that differed, objects missing) and when; repaired since unless paused.
    table.text('drift').notNullable().defaultTo('[]');
    table.bigInteger('drift_at').nullable();
    table.boolean('failed_over').notNullable().defaultTo(false);
    // Since when the cluster is unfit (unhealthy, unreachable): failover after the grace period.
    table.bigInteger('unfit_since').nullable();
    table.bigInteger('last_sync_at').nullable();
    table.text('error').nullable();
    table.primary(['workload_name', 'cluster_id']);
  });

  await knex.schema.createTable('workload_events', table => {
    table.comment('What the reconciler did and found, per workload');
    table.bigIncrements('id').primary();
    table
      .string('workload_name', 63)
      .notNullable()
      .references('name')
      .inTable('workloads')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    table.string('level', 16).notNullable();
    table.string('cluster', 253).nullable();
    table.text('message').notNullable();
    table.index(['workload_name', 'id'], 'workload_events_idx');
  });

  await knex.schema.createTable('workload_rounds', table => {
    table.comment('Reconcile rounds: which replica ran each, and when');
    table.bigIncrements('id').primary();
    table.string('runner', 255).notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('finished_at').nullable();
    table.integer('workloads').notNullable().defaultTo(0);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workload_rounds');
  await knex.schema.dropTable('workload_events');
  await knex.schema.dropTable('workload_clusters');
  await knex.schema.dropTable('workload_revisions');
  await knex.schema.dropTable('workloads');
};
