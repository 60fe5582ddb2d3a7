/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { secretCapabilities } from '@archipelago/multicluster-common';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { ComponentRecord } from '../store/records';
import type { SecretStore } from '../store/SecretStore';
import { SecretBox, parseSecretReference, secretReference } from './SecretBox';

/** Capabilities by component key. */
export type CapabilitiesByComponent = Record<string, Record<string, unknown>>;

/**
 * The key a component's secrets are stored (and bound) under: the component
 * key for its first generation, `<key>#<generation>` after a change, so a
 * replacement's secrets live beside the old ones until the change is done.
 */
export function secretStorageKey(key: string, generation = 1): string {
  return generation <= 1 ? key : `${key}#${generation}`;
}

/**
 * The clear values of the secret capabilities among `components`, so errors
 * and drift messages can be scrubbed of them.
 */
export function secretValues(
  components: ComponentRecord[],
  caps: CapabilitiesByComponent,
): string[] {
  return components.flatMap(c =>
    secretCapabilities[c.kind]
      .map(k => caps[c.key]?.[k])
      .filter((v): v is string => typeof v === 'string' && v !== ''),
  );
}

/**
 * Secret capabilities of environments: sealed with the configured key before
 * they are stored, opened only inside the engine (for drivers and reference
 * resolution) and never served. Without a key, environments can be read and
 * destroyed but nothing that stores a secret can start.
 */
export class EnvironmentSecrets {
  constructor(
    private readonly store: SecretStore,
    private readonly box?: SecretBox,
  ) {}

  /** Refuses work that stores secrets when there is no key to encrypt them with. */
  require(): SecretBox {
    if (!this.box) {
      throw new ServiceUnavailableError(
        'Environments cannot be created: multicluster.environments.secretKey is not set ' +
          '(it encrypts database passwords at rest)',
      );
    }
    return this.box;
  }

  async seal(
    environment: string,
    component: string,
    capability: string,
    value: string,
    generation = 1,
  ): Promise<void> {
    const stored = secretStorageKey(component, generation);
    const reference = secretReference(environment, stored, capability);
    await this.store.put(
      environment,
      stored,
      capability,
      this.require().seal(value, reference),
    );
  }

  /** Deletes an environment's secrets, or every generation of one component's. */
  async delete(environment: string, component?: string): Promise<void> {
    if (component === undefined) {
      await this.store.delete(environment);
      return;
    }
    const keys = (await this.store.storedKeys(environment)).filter(
      k => k === component || k.startsWith(`${component}#`),
    );
    await this.store.delete(environment, keys);
  }

  /** Deletes the secrets of one generation of a component. */
  async deleteGeneration(
    environment: string,
    component: string,
    generation: number,
  ): Promise<void> {
    await this.store.delete(environment, [
      secretStorageKey(component, generation),
    ]);
  }

  /** The secret capabilities of one generation of a component, in clear. */
  async openGeneration(
    environment: string,
    component: string,
    generation: number,
  ): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    if (!this.box) return out;
    const stored = secretStorageKey(component, generation);
    for (const s of await this.store.list(environment)) {
      if (s.component === stored) {
        out[s.capability] = this.box.open(
          s.ciphertext,
          secretReference(environment, stored, s.capability),
        );
      }
    }
    return out;
  }

  /**
   * Capabilities of components, secrets decrypted: for reference resolution
   * and drivers only. Without a key, secret capabilities are left out.
   */
  async withSecrets(
    environment: string,
    components: ComponentRecord[],
  ): Promise<CapabilitiesByComponent> {
    const out: CapabilitiesByComponent = {};
    const byStorage = new Map<string, string>();
    for (const c of components) {
      out[c.key] = { ...c.capabilities };
      byStorage.set(secretStorageKey(c.key, c.generation), c.key);
    }
    if (!this.box) return out;
    for (const s of await this.store.list(environment)) {
      const key = byStorage.get(s.component);
      if (key !== undefined) {
        out[key][s.capability] = this.box.open(
          s.ciphertext,
          secretReference(environment, s.component, s.capability),
        );
      }
    }
    return out;
  }

  /** Every secret value of an environment that can be opened, for redaction. */
  async knownValues(environment: string): Promise<string[]> {
    const values: string[] = [];
    if (!this.box) return values;
    for (const s of await this.store.list(environment)) {
      try {
        values.push(
          this.box.open(
            s.ciphertext,
            secretReference(environment, s.component, s.capability),
          ),
        );
      } catch {
        // A secret we cannot read cannot leak either.
      }
    }
    return values;
  }

  /**
   * The clear value behind a secret reference, for the component's
   * `generation`. Callers check permissions first; the value is never logged.
   */
  async reveal(reference: string, generation = 1): Promise<string> {
    const parsed = parseSecretReference(reference);
    if (!parsed) throw new InputError(`not a secret reference: ${reference}`);
    const stored = secretStorageKey(parsed.component, generation);
    const sealed = await this.store.get(
      parsed.environment,
      stored,
      parsed.capability,
    );
    if (!sealed) throw new NotFoundError(`No secret ${reference}`);
    return this.require().open(
      sealed,
      secretReference(parsed.environment, stored, parsed.capability),
    );
  }
}
