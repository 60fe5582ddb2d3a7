/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { secretCapabilities } from '@archipelago/multicluster-common';
import { credentialsForRole } from '@archipelago/multicluster-node';
import { redactText } from '../../util/redact';
import type { EnvironmentEngine } from '../engine';
import type { EnvironmentEventLog } from '../eventLog';
import type { ConnectionDetailsPublisher } from '../runner/context';
import type { EnvironmentStore } from '../store/EnvironmentStore';
import {
  ensureNamespace,
  type KubeTarget,
  remove,
  upsert,
} from './kubeObjects';

/** `multicluster.environments.connectionDetails`. */
export interface ConnectionDetailsSettings {
  enabled: boolean;
  namespace: string;
  timeoutSeconds: number;
}

/** The name of an environment's ConfigMap and Secret. */
export const connectionDetailsName = (environment: string) =>
  `${environment}-connection`;

/** A capability as a ConfigMap or Secret key: `<component>_<capability>`, e.g. `database_host`. */
export const connectionDetailsKey = (component: string, capability: string) =>
  `${component}_${capability}`;

const text = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));

/**
 * Keeps each environment's capabilities in its own cluster, as Crossplane
 * keeps a resource's connection details: a ConfigMap of the plain values and
 * a Secret of the secret ones, both `<environment>-connection` in the
 * configured namespace, keys `<component>_<capability>`. Written with the
 * cluster's deploy identity when the environment becomes ready and after
 * every change; removed before it is destroyed. A cluster that cannot be
 * reached costs an event, never the environment.
 */
export class ConnectionDetails implements ConnectionDetailsPublisher {
  constructor(
    private readonly options: {
      store: EnvironmentStore;
      engine: EnvironmentEngine;
      events: EnvironmentEventLog;
      settings: ConnectionDetailsSettings;
    },
  ) {}

  /** How to reach the environment's cluster as its deployer; undefined when it has none (yet). */
  private async target(environment: string): Promise<KubeTarget | undefined> {
    const components = await this.options.store.getComponents(environment);
    const cluster = components.find(
      c =>
        c.kind === 'kubernetes' &&
        (c.status === 'ready' || c.status === 'drifted'),
    );
    if (!cluster) return undefined;
    // Without clusterAccess a driver gives no credentials to write with.
    if (!this.options.engine.driverFor(cluster.driver).clusterAccess)
      return undefined;
    const access = await this.options.engine.clusterAccess(
      environment,
      cluster.key,
    );
    const timeoutMs = this.options.settings.timeoutSeconds * 1000;
    const credentials = await credentialsForRole(
      access,
      'deploy',
    )({
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      url: access.url,
      caData: access.caData,
      skipTLSVerify: access.skipTLSVerify,
      credentials,
      timeoutMs,
    };
  }

  async publish(environment: string): Promise<void> {
    if (!this.options.settings.enabled) return;
    const { namespace } = this.options.settings;
    const name = connectionDetailsName(environment);
    let known: string[] = [];
    try {
      const target = await this.target(environment);
      if (!target) return;
      const env = await this.options.store.get(environment);
      const components = (
        await this.options.store.getComponents(environment)
      ).filter(c => c.status === 'ready' || c.status === 'drifted');
      const caps = await this.options.engine.secrets.withSecrets(
        environment,
        components,
      );
      const plain: Record<string, string> = {};
      const secret: Record<string, string> = {};
      for (const c of components) {
        for (const [capability, value] of Object.entries(caps[c.key] ?? {})) {
          const key = connectionDetailsKey(c.key, capability);
          if (secretCapabilities[c.kind].includes(capability)) {
            known.push(String(value));
            secret[key] = Buffer.from(text(value), 'utf8').toString('base64');
          } else plain[key] = text(value);
        }
      }
      const metadata = {
        name,
        namespace,
        labels: {
          'app.kubernetes.io/managed-by': 'archipelago',
          'archipelago.dev/environment': environment,
        },
        annotations: { 'archipelago.dev/revision': String(env?.revision ?? 1) },
      };
      await ensureNamespace(target, namespace);
      await upsert(target, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata,
        data: plain,
      });
      await upsert(target, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata,
        type: 'Opaque',
        data: secret,
      });
      await this.options.events.record(
        environment,
        'info',
        undefined,
        `Connection details written to the cluster: ConfigMap and Secret ${namespace}/${name} ` +
          `(${Object.keys(plain).length} values, ${
            Object.keys(secret).length
          } secret)`,
      );
    } catch (error) {
      await this.options.events.record(
        environment,
        'warning',
        undefined,
        `Could not write connection details to the cluster: ${redactText(
          String((error as Error)?.message ?? error),
          known,
        )}`,
      );
    } finally {
      known = [];
    }
  }

  async unpublish(environment: string): Promise<void> {
    if (!this.options.settings.enabled) return;
    const { namespace } = this.options.settings;
    const name = connectionDetailsName(environment);
    try {
      const target = await this.target(environment);
      if (!target) return;
      await remove(target, {
        apiVersion: 'v1',
        kind: 'Secret',
        name,
        namespace,
      });
      await remove(target, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name,
        namespace,
      });
      await this.options.events.record(
        environment,
        'info',
        undefined,
        `Connection details removed from the cluster (${namespace}/${name})`,
      );
    } catch (error) {
      await this.options.events.record(
        environment,
        'warning',
        undefined,
        `Could not remove connection details from the cluster: ${redactText(
          String((error as Error)?.message ?? error),
        )}`,
      );
    }
  }
}
