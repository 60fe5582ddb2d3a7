/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type CapabilityValue,
  type ComponentState,
  type Environment,
  type EnvironmentEvent,
  secretCapabilities,
} from '@archipelago/multicluster-common';
import { createHash } from 'node:crypto';
import { estimateCost } from './cost';
import { secretReference } from './secrets/SecretBox';
import type {
  ComponentRecord,
  EnvironmentRecord,
  EventRecord,
} from './store/records';

const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** Components whose capabilities exist (created and not deleted). */
const HAS_CAPABILITIES = new Set(['ready', 'drifted']);

function errorOf(c: ComponentRecord): { error?: string } {
  if (c.error) return { error: c.error };
  if (c.drift) return { error: `drifted: ${c.drift}` };
  return {};
}

/**
 * A component as the REST API serves it. Secret capabilities are not in the
 * record at all (they live encrypted in their own table); here they appear
 * only as references.
 */
export function toComponentState(
  environment: string,
  c: ComponentRecord,
): ComponentState {
  const capabilities: Record<string, CapabilityValue> = {};
  if (HAS_CAPABILITIES.has(c.status)) {
    for (const [k, v] of Object.entries(c.capabilities)) {
      if (!secretCapabilities[c.kind].includes(k))
        capabilities[k] = v as CapabilityValue;
    }
    for (const k of secretCapabilities[c.kind]) {
      capabilities[k] = { secretRef: secretReference(environment, c.key, k) };
    }
  }
  return {
    key: c.key,
    kind: c.kind,
    template: c.template,
    driver: c.driver,
    status: c.status,
    capabilities,
    ...errorOf(c),
    ...(c.status === 'drifted' && (c.driftDetails || c.drift)
      ? {
          drift: c.driftDetails ?? {
            summary: c.drift ?? 'drifted',
            differences: [],
          },
        }
      : {}),
    ...(c.startedAt ? { startedAt: iso(c.startedAt) } : {}),
    ...(c.finishedAt ? { finishedAt: iso(c.finishedAt) } : {}),
  };
}

export function toEnvironment(
  record: EnvironmentRecord,
  components: ComponentRecord[],
  currency = 'USD',
): Environment {
  return {
    name: record.name,
    type: record.type,
    cloud: record.cloud,
    owner: record.owner,
    inputs: record.inputs,
    status: record.status,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.ttlMinutes !== undefined
      ? { ttlMinutes: record.ttlMinutes }
      : {}),
    ...(record.expiresAt !== undefined
      ? { expiresAt: iso(record.expiresAt) }
      : {}),
    createdAt: iso(record.createdAt)!,
    updatedAt: iso(record.updatedAt)!,
    components: components
      // A component a change is adding exists once it is created.
      .filter(c => !(c.change?.action === 'create' && c.status === 'deleted'))
      .map(c => toComponentState(record.name, c)),
    ...(record.clusterId ? { clusterId: record.clusterId } : {}),
    revision: record.revision,
    ...(record.status === 'updating' && record.change
      ? { pendingChange: record.change.plan }
      : {}),
    ...(record.status !== 'destroyed'
      ? { cost: estimateCost(record.plan.components, currency) }
      : {}),
  };
}

export function toEvent(e: EventRecord): EnvironmentEvent & { id: number } {
  return {
    id: e.id,
    at: iso(e.at)!,
    level: e.level,
    ...(e.component ? { component: e.component } : {}),
    message: e.message,
  };
}

/** A value with object keys sorted, so equal values serialise equally. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The identity of a create request for idempotency: same hash, same environment. */
export function requestHash(request: {
  type: string;
  cloud: string;
  owner: string;
  inputs: Record<string, unknown>;
}): string {
  const body = JSON.stringify(
    canonical({
      type: request.type,
      cloud: request.cloud,
      owner: request.owner,
      inputs: request.inputs,
    }),
  );
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The deterministic name of a component's resources: `<prefix>-<env>-<key>`
 * (`-r<generation>` appended for a replacement),
 * lower-case, at most 48 characters (drivers append short suffixes; most
 * clouds cap names at 63). Too long names keep a readable head and a hash.
 */
export function resourceNameFor(
  prefix: string,
  environment: string,
  key: string,
  generation = 1,
): string {
  // A replacement lives beside the resource it replaces until the change is done.
  const suffix = generation > 1 ? `-r${generation}` : '';
  const full = `${prefix}-${environment}-${key}${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (full.length <= 48) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 39).replace(/-+$/, '')}-${hash}`;
}
