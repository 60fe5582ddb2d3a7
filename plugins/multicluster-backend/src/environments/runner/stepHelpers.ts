/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  secretCapabilities,
  validateCapabilities,
} from '@archipelago/multicluster-common';
import type { ComponentSnapshot } from '../changes/types';
import { resolveReferences } from '../references';
import { type CapabilitiesByComponent } from '../secrets/EnvironmentSecrets';
import { canonical } from '../serialize';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import { type EngineDeps } from './context';

// What the apply and revert steps share: the component's previous state, the
// references it resolves and the outputs it keeps.

export const same = (a: unknown, b: unknown) =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The environment fields `${{ environment.* }}` reads. */
export const scopeOf = (env: {
  name: string;
  type: string;
  cloud: string;
  owner: string;
}) => ({
  name: env.name,
  type: env.type,
  cloud: env.cloud,
  owner: env.owner,
});

/** A component's record as a snapshot: what a change keeps to revert to. */
export function snapshotOf(c: ComponentRecord): ComponentSnapshot {
  return {
    kind: c.kind,
    template: c.template,
    driver: c.driver,
    inputs: c.inputs,
    dependsOn: c.dependsOn,
    position: c.position,
    generation: c.generation,
    resourceName: c.resourceName,
    capabilities: c.capabilities,
    state: c.state,
    status: c.status,
  };
}

/** The snapshot a component had before the change, or its current record when it has none. */
export function previousOf(c: ComponentRecord): ComponentSnapshot {
  return c.change?.previous ?? snapshotOf(c);
}

/** Capabilities components had before the change (secrets in clear), for reverting and comparing. */
export async function previousCapabilities(
  deps: EngineDeps,
  name: string,
  components: ComponentRecord[],
): Promise<CapabilitiesByComponent> {
  const out: CapabilitiesByComponent = {};
  for (const c of components) {
    const before = previousOf(c);
    if (c.change?.action === 'create') continue;
    out[c.key] = {
      ...before.capabilities,
      ...(await deps.secrets.openGeneration(name, c.key, before.generation)),
    };
  }
  return out;
}

export function tryResolve(
  inputs: Record<string, unknown>,
  env: EnvironmentRecord,
  caps: CapabilitiesByComponent,
): Record<string, unknown> | undefined {
  try {
    return resolveReferences(inputs, {
      environment: scopeOf(env),
      components: caps,
    });
  } catch {
    return undefined;
  }
}

/** Validates a driver's outputs and seals its secrets under `generation`; returns the public capabilities. */
export async function keepOutputs(
  deps: EngineDeps,
  name: string,
  c: ComponentRecord,
  kind: ComponentRecord['kind'],
  driverId: string,
  result: {
    capabilities: Record<string, unknown>;
    state?: Record<string, unknown>;
  },
  generation: number,
): Promise<Record<string, unknown>> {
  const capabilities = validateCapabilities(
    kind,
    result.capabilities,
  ) as Record<string, unknown>;
  const names = secretCapabilities[kind];
  const stateText = JSON.stringify(result.state ?? {});
  if (
    names.some(
      k => capabilities[k] && stateText.includes(String(capabilities[k])),
    )
  ) {
    throw new Error(
      `driver ${driverId} returned a secret in its state; refusing to store it`,
    );
  }
  for (const k of names) {
    await deps.secrets.seal(
      name,
      c.key,
      k,
      String(capabilities[k]),
      generation,
    );
  }
  return Object.fromEntries(
    Object.entries(capabilities).filter(([k]) => !names.includes(k)),
  );
}
