/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// @ts-check

/**
 * Environments you can live with: revisions (every applied change, with its
 * inputs and capabilities, so it can be rolled back to), the change being
 * applied (persisted step by step, so an update resumes like a create), the
 * generation of each component (a replacement is a new resource beside the
 * old one until it is ready), what the drift check found, and when the owner
 * was told that the TTL runs out. Existing environments get revision 1.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('environments', table => {
    table.integer('revision').notNullable().defaultTo(1);
    // The change being applied or reverted (JSON), while the status is `updating`.
    table.text('change').nullable();
    table.bigInteger('expiry_warned_at').nullable();
  });
  await knex.schema.alterTable('environment_components', table => {
    // Secrets and replacement resource names are per generation.
    table.integer('generation').notNullable().defaultTo(1);
    // This component's step of the change being applied (JSON).
    table.text('change').nullable();
    // What the drift check found (JSON: summary and differences).
    table.text('drift_details').nullable();
  });
  await knex.schema.createTable('environment_revisions', table => {
    table.comment(
      'Every applied (or attempted) change of an environment: desired state and resulting capabilities',
    );
    table
      .string('environment_name', 64)
      .notNullable()
      .references('name')
      .inTable('environments')
      .onDelete('CASCADE');
    table.integer('revision').notNullable();
    table.string('operation', 16).notNullable();
    table.string('status', 16).notNullable();
    table.integer('restores').nullable();
    table.string('type', 63).notNullable();
    table.string('cloud', 16).notNullable();
    table.text('inputs').notNullable();
    table.integer('ttl_minutes').nullable();
    table.text('plan').notNullable();
    // Components after the change: key, kind, template, driver, inputs, public capabilities.
    table.text('components').notNullable().defaultTo('[]');
    table.string('created_by', 255).nullable();
    table.text('reason').nullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['environment_name', 'revision']);
  });
  const existing = await knex('environments').select();
  for (const env of existing) {
    const components = await knex('environment_components')
      .where({ environment_name: env.name })
      .orderBy('position');
    await knex('environment_revisions').insert({
      environment_name: env.name,
      revision: 1,
      operation: 'create',
      status: env.status === 'failed' ? 'failed' : 'applied',
      restores: null,
      type: env.type,
      cloud: env.cloud,
      inputs: env.inputs,
      ttl_minutes: env.ttl_minutes,
      plan: env.plan,
      components: JSON.stringify(
        components.map(c => ({
          key: c.key,
          kind: c.kind,
          template: c.template,
          driver: c.driver,
          inputs: JSON.parse(c.inputs || '{}'),
          capabilities: JSON.parse(c.capabilities || '{}'),
        })),
      ),
      created_by: env.created_by,
      reason: null,
      created_at: env.created_at,
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_revisions');
  await knex.schema.alterTable('environment_components', table => {
    table.dropColumn('generation');
    table.dropColumn('change');
    table.dropColumn('drift_details');
  });
  await knex.schema.alterTable('environments', table => {
    table.dropColumn('revision');
    table.dropColumn('change');
    table.dropColumn('expiry_warned_at');
  });
};
