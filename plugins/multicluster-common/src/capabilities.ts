/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';

/**
 * Component kinds and the capabilities each exposes, whatever implements it.
 * The names are part of the contract (ARCHITECTURE.md): a driver whose outputs
 * break its kind's schema fails the component loudly.
 * @public
 */
export const COMPONENT_KINDS = [
  'network',
  'kubernetes',
  'database',
  'objectStore',
] as const;

/** The kinds of component an environment is built of. @public */
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

const nonEmpty = z.string().min(1);

/** The capabilities each kind of component must provide, as schemas: what other components and the entity cards can rely on. @public */
export const capabilityContracts = {
  kubernetes: z
    .object({
      endpoint: z.string().url().startsWith('https://'),
      cluster_id: nonEmpty,
      version: nonEmpty,
    })
    .strict(),
  database: z
    .object({
      host: nonEmpty,
      port: z.number().int().min(1).max(65535),
      database: nonEmpty,
      master_username: nonEmpty,
      master_password: nonEmpty,
    })
    .strict(),
  objectStore: z
    .object({
      bucket_url: z.string().url(),
      bucket: nonEmpty,
      region: nonEmpty,
    })
    .strict(),
  network: z
    .object({
      network_id: nonEmpty,
      subnet_ids: z.array(nonEmpty).min(1),
      region: nonEmpty,
    })
    .strict(),
} satisfies Record<ComponentKind, z.ZodTypeAny>;

/** Capabilities that are secrets: stored encrypted, only ever returned as a reference. @public */
export const secretCapabilities: Record<ComponentKind, readonly string[]> = {
  kubernetes: [],
  database: ['master_password'],
  objectStore: [],
  network: [],
};

/** The capabilities of a component of kind `K`. @public */
export type Capabilities<K extends ComponentKind> = z.infer<
  (typeof capabilityContracts)[K]
>;

/** What a browser or a log sees in place of a secret capability. @public */
export interface SecretReference {
  /** Names the secret; read it through the secret route, with permission. */
  secretRef: string;
}

/** Whether a capability value is a {@link SecretReference}. @public */
export function isSecretReference(value: unknown): value is SecretReference {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SecretReference).secretRef === 'string'
  );
}

/**
 * Validates driver outputs against the kind's contract. Throws an Error naming
 * every broken capability.
 * @public
 */
export function validateCapabilities<K extends ComponentKind>(
  kind: K,
  capabilities: unknown,
): Capabilities<K> {
  const result = capabilityContracts[kind].safeParse(capabilities);
  if (!result.success) {
    const problems = result.error.issues
      .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(
      `Outputs break the ${kind} capability contract: ${problems}`,
    );
  }
  return result.data as Capabilities<K>;
}

/**
 * Replaces the kind's secret capabilities with references, for anything that
 * leaves the engine (REST, catalog, scaffolder output, logs). Values that are
 * already references are kept.
 * @public
 */
export function redactSecretCapabilities(
  kind: ComponentKind,
  capabilities: Record<string, unknown>,
  referenceFor: (capability: string) => string,
): Record<string, unknown> {
  const secrets = new Set(secretCapabilities[kind]);
  const redacted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(capabilities)) {
    redacted[name] =
      secrets.has(name) && !isSecretReference(value)
        ? { secretRef: referenceFor(name) }
        : value;
  }
  return redacted;
}
