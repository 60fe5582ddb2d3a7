/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * The environments engine: one row per environment (the unique name is what
 * makes exactly one of several concurrent creates win), its components, its
 * secret capabilities (AES-256-GCM ciphertext only), its event log, and the
 * address blocks of local networks. Every step of provisioning is a row
 * update, so a restarted backend resumes where the last one stopped. Timestamps
 * are epoch milliseconds in BIGINT columns, as in the inventory tables.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environments', table => {
    table.comment(
      'Environments created from environment types; the primary key serialises concurrent creates',
    );
    table.string('name', 64).primary().notNullable();
    table.string('type', 63).notNullable();
    table.string('cloud', 16).notNullable();
    table.string('owner', 255).notNullable();
    table.string('created_by', 255).nullable();
    table.text('inputs').notNullable().defaultTo('{}');
    table.string('request_hash', 64).notNullable();
    table.text('plan').notNullable();
    table.string('on_failure', 16).notNullable().defaultTo('rollback');
    table.integer('ttl_minutes').nullable();
    table.bigInteger('expires_at').nullable();
    table.string('status', 16).notNullable();
    table.text('reason').nullable();
    table.boolean('destroy_requested').notNullable().defaultTo(false);
    table.string('cluster_id', 128).nullable();
    // Which replica works on the environment, until when (renewed while it works).
    table.string('lease_owner', 128).nullable();
    table.bigInteger('lease_until').notNullable().defaultTo(0);
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.index(['status', 'lease_until'], 'environments_status_idx');
    table.index(['owner', 'name'], 'environments_owner_idx');
    table.index(['expires_at'], 'environments_expires_idx');
  });

  await knex.schema.createTable('environment_components', table => {
    table.comment(
      'Components of an environment with their status, public capabilities and driver state',
    );
    table
      .string('environment_name', 64)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table.string('key', 64).notNullable();
    table.integer('position').notNullable();
    table.string('kind', 32).notNullable();
    table.string('template', 63).notNullable();
    table.string('driver', 128).notNullable();
    table.text('depends_on').notNullable().defaultTo('[]');
    table.text('inputs').notNullable().defaultTo('{}');
    table.string('resource_name', 128).notNullable();
    table.string('status', 16).notNullable();
    // Capabilities without secrets: secret ones are in environment_secrets.
    table.text('capabilities').notNullable().defaultTo('{}');
    table.text('state').nullable();
    table.text('error').nullable();
    table.text('drift').nullable();
    table.bigInteger('started_at').nullable();
    table.bigInteger('finished_at').nullable();
    table.primary(['environment_name', 'key']);
  });

  await knex.schema.createTable('environment_secrets', table => {
    table.comment(
      'Secret capabilities, AES-256-GCM encrypted with a key from config; never served',
    );
    table
      .string('environment_name', 64)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table.string('component_key', 64).notNullable();
    table.string('capability', 64).notNullable();
    table.text('ciphertext').notNullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['environment_name', 'component_key', 'capability']);
  });

  await knex.schema.createTable('environment_events', table => {
    table.comment('Timestamped steps of each environment, oldest first');
    table.bigIncrements('id').primary();
    table
      .string('environment_name', 64)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    table.string('level', 8).notNullable();
    table.string('component', 64).nullable();
    table.text('message').notNullable();
    table.index(['environment_name', 'id'], 'environment_events_env_idx');
  });

  await knex.schema.createTable('environment_network_allocations', table => {
    table.comment(
      'Address blocks handed out by the local-network driver; the primary key prevents overlaps',
    );
    table.string('cidr', 43).primary().notNullable();
    table
      .string('resource_name', 128)
      .notNullable()
      .unique({ indexName: 'environment_network_alloc_res_uniq' });
    table.bigInteger('created_at').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_network_allocations');
  await knex.schema.dropTable('environment_events');
  await knex.schema.dropTable('environment_secrets');
  await knex.schema.dropTable('environment_components');
  await knex.schema.dropTable('environments');
};
