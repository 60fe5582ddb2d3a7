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
  ): Promise<void> {
    const reference = secretReference(environment, component, capability);
    await this.store.put(
      environment,
      component,
      capability,
      this.require().seal(value, reference),
    );
  }

  async delete(environment: string, component?: string): Promise<void> {
    await this.store.delete(environment, component);
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
    for (const c of components) out[c.key] = { ...c.capabilities };
    if (!this.box) return out;
    for (const s of await this.store.list(environment)) {
      if (out[s.component]) {
        out[s.component][s.capability] = this.box.open(
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

  /** The clear value behind a secret reference. Internal: never exposed through REST. */
  async reveal(reference: string): Promise<string> {
    const parsed = parseSecretReference(reference);
    if (!parsed) throw new InputError(`not a secret reference: ${reference}`);
    const sealed = await this.store.get(
      parsed.environment,
      parsed.component,
      parsed.capability,
    );
    if (!sealed) throw new NotFoundError(`No secret ${reference}`);
    return this.require().open(sealed, reference);
  }
}
