/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ComponentContext,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { clusterIdFor, normaliseServerUrl } from '../../inventory/clusterId';
import type { EnvironmentCatalog } from '../catalog';
import type { EnvironmentEventLog } from '../eventLog';
import type {
  CapabilitiesByComponent,
  EnvironmentSecrets,
} from '../secrets/EnvironmentSecrets';
import type { EnvironmentStore } from '../store/EnvironmentStore';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';

/** Settings of the engine (from `multicluster.environments`). */
export interface EngineSettings {
  resourcePrefix: string;
  leaseSeconds: number;
  componentTimeoutMinutes: number;
  defaultTtlMinutes?: number;
  /** Revisions kept per environment (default 20). */
  revisionsKept?: number;
}

/**
 * Writes an environment's capabilities into its own cluster (a ConfigMap and
 * a Secret) and removes them. Never throws: a failure is an event.
 */
export interface ConnectionDetailsPublisher {
  publish(environment: string): Promise<void>;
  unpublish(environment: string): Promise<void>;
}

/** What the request handlers, the component runner and the periodic tasks share. */
export interface EngineDeps {
  store: EnvironmentStore;
  catalog: EnvironmentCatalog;
  secrets: EnvironmentSecrets;
  events: EnvironmentEventLog;
  logger: LoggerService;
  settings: EngineSettings;
  /** Called when a cluster appeared or went away, so the inventory looks now. */
  onClustersChanged?: () => Promise<void> | void;
  /** Keeps connection details in each environment's cluster. */
  connections?: ConnectionDetailsPublisher;
}

/** Resolves with the promise, or rejects when the signal aborts (a driver that ignores it cannot hang us). */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      v => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      e => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Milliseconds as `12.3s`, for events. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** What a driver gets for one component: inputs, dependencies' capabilities, tags, a logger and a signal. */
export function driverContext(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  inputs: Record<string, unknown>,
  dependencies: CapabilitiesByComponent,
  signal: AbortSignal,
): ComponentContext {
  return {
    environment: env.name,
    component: component.key,
    resourceName: component.resourceName,
    inputs,
    dependencies,
    tags: {
      'archipelago.dev/environment': env.name,
      'archipelago.dev/component': component.key,
      'archipelago.dev/environment-type': env.type,
      'archipelago.dev/managed-by': 'archipelago',
    },
    logger: deps.logger.child({
      environment: env.name,
      component: component.key,
    }),
    signal,
  };
}

/** The context of a created component: its state and capabilities (secrets in clear) too. */
export function existingContext(
  deps: EngineDeps,
  env: EnvironmentRecord,
  component: ComponentRecord,
  caps: CapabilitiesByComponent,
  timeoutMs: number,
): ExistingComponentContext {
  return {
    ...driverContext(
      deps,
      env,
      component,
      component.inputs,
      caps,
      AbortSignal.timeout(timeoutMs),
    ),
    state: component.state,
    capabilities: caps[component.key] ?? {},
  };
}

/** The inventory id of a `kubernetes` component's cluster, from its capabilities. */
export function clusterIdOf(
  capabilities: Record<string, unknown>,
): string | undefined {
  try {
    return clusterIdFor(
      String(capabilities.cluster_id),
      normaliseServerUrl(String(capabilities.endpoint)),
    );
  } catch {
    return undefined;
  }
}

/** Tells the inventory to look now; a failure only costs a wait for the next round. */
export async function clustersChanged(deps: EngineDeps): Promise<void> {
  try {
    await deps.onClustersChanged?.();
  } catch (error) {
    deps.logger.warn(
      `Could not trigger inventory discovery: ${(error as Error).message}`,
    );
  }
}
