/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * The cluster inventory: clusters, their sources (one row per provider that
 * lists them), labels (a row per label, so selectors become indexed lookups),
 * probe history, provider runs and probe rounds. Timestamps are epoch
 * milliseconds in BIGINT columns: portable across SQLite and PostgreSQL and
 * cheap to index and compare. Indexes are sized for 10,000 clusters: every
 * sort of GET /clusters has a (sort key, id) index for keyset pagination.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('multicluster_clusters', table => {
    table.comment(
      'One row per distinct API server; the merged view of its sources plus its damped health',
    );
    table.string('id', 128).primary().notNullable();
    table
      .text('url_key')
      .notNullable()
      .unique({ indexName: 'multicluster_clusters_url_key_uniq' });
    table.string('name', 253).notNullable();
    table.text('title').notNullable();
    table.text('url').notNullable();
    table.string('cloud', 16).notNullable();
    table.string('region', 128).nullable();
    table.string('declared_distribution', 64).nullable();
    table.string('distribution', 64).notNullable().defaultTo('unknown');
    table.text('labels').notNullable().defaultTo('{}');
    table.text('search_text').notNullable().defaultTo('');
    table.string('provider_state', 32).nullable();
    table.text('provider_state_reason').nullable();
    table.string('environment', 253).nullable();
    table.boolean('skip_tls_verify').notNullable().defaultTo(false);
    table.boolean('stale').notNullable().defaultTo(false);
    table.bigInteger('last_seen_at').notNullable().defaultTo(0);
    // Status, written by the prober only.
    table.string('health', 16).notNullable().defaultTo('unknown');
    table.integer('health_rank').notNullable().defaultTo(5);
    table.text('reason').notNullable().defaultTo('never probed');
    table.text('checks').notNullable().defaultTo('[]');
    table.string('version', 128).nullable();
    table.integer('nodes_ready').nullable();
    table.integer('nodes_total').nullable();
    table.text('allocatable').nullable();
    table.text('kubelet_versions').nullable();
    table.bigInteger('last_probe_at').notNullable().defaultTo(0);
    table.integer('latency_ms').nullable();
    table.string('pending_health', 16).nullable();
    table.integer('pending_count').notNullable().defaultTo(0);
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['name', 'id'], 'multicluster_clusters_name_idx');
    table.index(
      ['health_rank', 'name', 'id'],
      'multicluster_clusters_health_idx',
    );
    table.index(['cloud', 'name', 'id'], 'multicluster_clusters_cloud_idx');
    table.index(['last_probe_at', 'id'], 'multicluster_clusters_probe_idx');
  });

  await knex.schema.createTable('multicluster_cluster_labels', table => {
    table.comment(
      'Labels of clusters, one row each, so label selectors and permission conditions use indexes',
    );
    table
      .string('cluster_id', 128)
      .notNullable()
      .references('id')
      .inTable('multicluster_clusters')
      .onDelete('CASCADE');
    table.string('key', 320).notNullable();
    table.string('value', 63).notNullable();
    table.primary(['cluster_id', 'key']);
    table.index(
      ['key', 'value', 'cluster_id'],
      'multicluster_cluster_labels_kv_idx',
    );
  });

  await knex.schema.createTable('multicluster_sources', table => {
    table.comment(
      'One row per (provider, provider id of a cluster); several may point at one cluster',
    );
    table.string('provider', 200).notNullable();
    table.string('source_id', 512).notNullable();
    table.string('cluster_id', 128).notNullable();
    table.text('url_key').notNullable();
    table.string('scope', 200).nullable();
    table.text('data').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.primary(['provider', 'source_id']);
    table.index(['cluster_id'], 'multicluster_sources_cluster_idx');
  });

  await knex.schema.createTable('multicluster_probes', table => {
    table.comment('Probe history: raw (undamped) classification of each probe');
    table.bigIncrements('id').primary();
    table.string('cluster_id', 128).notNullable();
    table.bigInteger('round').notNullable();
    table.bigInteger('at').notNullable();
    table.string('health', 16).notNullable();
    table.text('reason').notNullable();
    table.integer('latency_ms').notNullable();
    table.text('checks').notNullable();
    table.index(['cluster_id', 'at'], 'multicluster_probes_cluster_at_idx');
    table.index(['round'], 'multicluster_probes_round_idx');
    table.index(['at'], 'multicluster_probes_at_idx');
  });

  await knex.schema.createTable('multicluster_provider_runs', table => {
    table.comment('Outcome of the last discovery run of each provider');
    table.string('provider', 200).primary().notNullable();
    table.boolean('ok').notNullable();
    table.boolean('complete').notNullable();
    table.integer('clusters').notNullable();
    table.bigInteger('last_run_at').notNullable();
    table.text('error').nullable();
    table.text('failed_scopes').nullable();
  });

  await knex.schema.createTable('multicluster_probe_rounds', table => {
    table.comment('One row per probe round, whichever replica ran it');
    table.bigIncrements('id').primary();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('finished_at').nullable();
    table.integer('clusters').notNullable().defaultTo(0);
    table.string('runner', 128).notNullable();
    table.index(['started_at'], 'multicluster_probe_rounds_started_idx');
  });

  await knex.schema.createTable('multicluster_meta', table => {
    table.comment('Counters: the inventory revision behind ETags');
    table.string('key', 64).primary().notNullable();
    table.bigInteger('value').notNullable();
  });
  await knex('multicluster_meta').insert({ key: 'revision', value: 1 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('multicluster_meta');
  await knex.schema.dropTable('multicluster_probe_rounds');
  await knex.schema.dropTable('multicluster_provider_runs');
  await knex.schema.dropTable('multicluster_probes');
  await knex.schema.dropTable('multicluster_sources');
  await knex.schema.dropTable('multicluster_cluster_labels');
  await knex.schema.dropTable('multicluster_clusters');
};
