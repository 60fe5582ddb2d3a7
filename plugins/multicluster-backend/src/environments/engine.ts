/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  type EnvironmentEventLevel,
  type EnvironmentStatus,
  type ValidCreateEnvironmentRequest,
  secretCapabilities,
  validateCapabilities,
} from '@archipelago/multicluster-common';
import type {
  ComponentClusterAccess,
  ComponentContext,
  ComponentDriver,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { EnvironmentCatalog } from './catalog';
import { clusterIdFor, normaliseServerUrl } from '../inventory/clusterId';
import { redactText } from '../util/redact';
import {
  type EnvironmentPlan,
  deletableComponents,
  runnableComponents,
} from './planner';
import { resolveReferences } from './references';
import { SecretBox, parseSecretReference, secretReference } from './secrets';
import { requestHash, resourceNameFor } from './serialize';
import type {
  ComponentRecord,
  EnvironmentRecord,
  EnvironmentStore,
} from './store';

export interface EngineSettings {
  resourcePrefix: string;
  leaseSeconds: number;
  componentTimeoutMinutes: number;
  defaultTtlMinutes?: number;
}

export interface EnvironmentEngineOptions {
  store: EnvironmentStore;
  catalog: EnvironmentCatalog;
  /**
   * Encrypts secret capabilities. Without it (no secretKey configured) the
   * engine reads and destroys environments but creates none.
   */
  secrets?: SecretBox;
  logger: LoggerService;
  settings: EngineSettings;
  /** Identifies this replica in leases; random per process by default. */
  instanceId?: string;
  /** Called when a cluster appeared or went away, so the inventory looks now. */
  onClustersChanged?: () => Promise<void> | void;
}

export interface CreateOutcome {
  environment: EnvironmentRecord;
  /** True when this call created it; false when it existed with the same inputs. */
  created: boolean;
  /** True when a failed environment (kept with onFailure: keep) was retried. */
  retried: boolean;
}

class Interrupted extends Error {
  name = 'Interrupted';
}

/** Resolves with the promise, or rejects when the signal aborts (a driver that ignores it cannot hang us). */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/**
 * The environments engine. Every step is a row update, and the work on an
 * environment is done by whichever replica holds its lease: a backend that
 * stops mid-provision leaves the environment `provisioning`, with the
 * component it was creating `creating`; the next replica (or the same backend
 * restarted) claims the lease and calls the drivers' idempotent create again.
 */
export class EnvironmentEngine {
  private readonly store: EnvironmentStore;
  private readonly catalog: EnvironmentCatalog;
  private readonly secrets?: SecretBox;
  private readonly logger: LoggerService;
  private readonly settings: EngineSettings;
  readonly instanceId: string;
  private readonly running = new Map<
    string,
    { done: Promise<void>; abort: AbortController }
  >();
  private stopping = false;

  constructor(private readonly options: EnvironmentEngineOptions) {
    this.store = options.store;
    this.catalog = options.catalog;
    this.secrets = options.secrets;
    this.logger = options.logger;
    this.settings = options.settings;
    this.instanceId =
      options.instanceId ??
      `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  private get leaseMs() {
    return this.settings.leaseSeconds * 1000;
  }

  // ------------------------------------------------------------------ requests

  /** The plan of a request, without creating anything (dry runs). */
  plan(request: {
    type: string;
    cloud: string;
    inputs?: Record<string, unknown>;
  }): EnvironmentPlan {
    return this.catalog.plan(request);
  }

  /**
   * Creates an environment, or returns the existing one when the same name was
   * requested with the same type, cloud, owner and inputs (retries of a
   * scaffolder task). Other inputs under the same name: 409.
   */
  async create(
    request: ValidCreateEnvironmentRequest,
    createdBy?: string,
  ): Promise<CreateOutcome> {
    const owner = stringifyEntityRef(
      parseEntityRef(request.owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
    const plan = this.catalog.plan(request);
    this.requireSecrets();
    const hash = requestHash({
      type: request.type,
      cloud: request.cloud,
      owner,
      inputs: request.inputs,
    });
    const now = Date.now();
    const ttlMinutes = request.ttlMinutes ?? this.settings.defaultTtlMinutes;
    const created = await this.store.create(
      {
        name: request.name,
        type: request.type,
        cloud: request.cloud,
        owner,
        createdBy,
        inputs: request.inputs,
        requestHash: hash,
        plan,
        onFailure: request.onFailure,
        ttlMinutes,
        expiresAt:
          ttlMinutes !== undefined ? now + ttlMinutes * 60_000 : undefined,
        createdAt: now,
      },
      plan.components.map((c, position) => ({
        key: c.key,
        position,
        kind: c.kind,
        template: c.template,
        driver: c.driver,
        dependsOn: c.dependsOn,
        inputs: c.inputs,
        resourceName: resourceNameFor(
          this.settings.resourcePrefix,
          request.name,
          c.key,
        ),
      })),
      `Requested${createdBy ? ` by ${createdBy}` : ''}: ${request.type} on ${
        request.cloud
      }, owner ${owner}; ` +
        `order ${plan.stages.map(s => s.join(' + ')).join(' → ')}`,
    );
    const existing = await this.store.get(request.name);
    if (!existing)
      throw new Error(
        `environment ${request.name} vanished while it was being created`,
      );
    if (created) {
      this.kick(existing.name);
      return { environment: existing, created: true, retried: false };
    }
    if (existing.requestHash !== hash) {
      throw new ConflictError(
        `Environment ${request.name} already exists with other inputs (type ${existing.type}, cloud ${existing.cloud}, ` +
          `owner ${existing.owner}); choose another name, or destroy it first`,
      );
    }
    if (existing.status === 'destroying' || existing.destroyRequested) {
      throw new ConflictError(
        `Environment ${request.name} is being destroyed; create it again once it is destroyed`,
      );
    }
    if (existing.status === 'failed') {
      // A retry: components that failed, were rolled back or never ran start again.
      await this.store.resetComponents(existing.name, [
        'failed',
        'deleted',
        'deleting',
        'creating',
      ]);
      if (
        await this.store.transition(existing.name, ['failed'], {
          status: 'pending',
          reason: 'retry requested',
        })
      ) {
        await this.event(
          existing.name,
          'info',
          undefined,
          'Retry requested with the same inputs',
        );
        this.kick(existing.name);
        return {
          environment: (await this.store.get(existing.name))!,
          created: false,
          retried: true,
        };
      }
    }
    return { environment: existing, created: false, retried: false };
  }

  /** Destroys an environment in reverse dependency order. Idempotent. */
  async destroy(
    name: string,
    why = 'destroy requested',
  ): Promise<EnvironmentRecord> {
    const env = await this.store.get(name);
    if (!env) throw new NotFoundError(`No environment named ${name}`);
    if (env.status === 'destroyed' || env.status === 'destroying') return env;
    if (env.status === 'ready' || env.status === 'failed') {
      if (
        await this.store.transition(name, ['ready', 'failed'], {
          status: 'destroying',
          reason: why,
        })
      ) {
        await this.event(name, 'info', undefined, `Destroying: ${why}`);
      }
    } else {
      // pending, provisioning or rolling-back: the worker switches to destroying
      // once the components in flight finish.
      await this.store.updateEnvironment(name, {
        destroyRequested: true,
        reason: why,
      });
      await this.event(
        name,
        'info',
        undefined,
        `Destroy requested while ${env.status}; it follows once in-flight steps finish`,
      );
    }
    this.kick(name);
    return (await this.store.get(name))!;
  }

  /** Recreates drifted components. */
  async heal(name: string): Promise<EnvironmentRecord> {
    this.requireSecrets();
    const env = await this.store.get(name);
    if (!env) throw new NotFoundError(`No environment named ${name}`);
    const drifted = (await this.store.getComponents(name)).filter(
      c => c.status === 'drifted',
    );
    if (env.status !== 'ready') {
      throw new ConflictError(
        `Environment ${name} is ${env.status}; only a ready environment can be healed`,
      );
    }
    if (drifted.length === 0) return env;
    await this.store.resetComponents(name, ['drifted']);
    if (
      await this.store.transition(name, ['ready'], {
        status: 'provisioning',
        reason: 'healing drifted components',
      })
    ) {
      await this.event(
        name,
        'info',
        undefined,
        `Healing ${drifted.map(c => c.key).join(', ')}`,
      );
      this.kick(name);
    }
    return (await this.store.get(name))!;
  }

  // ---------------------------------------------------------------- work loop

  /** Starts working on an environment in the background if it has work and its lease is free. */
  kick(name: string): void {
    if (this.stopping || this.running.has(name)) return;
    const abort = new AbortController();
    const done = this.work(name, abort).catch(error => {
      this.logger.error(
        `Environment ${name}: work loop failed: ${redactText(
          String((error as Error)?.message ?? error),
        )}`,
      );
    });
    this.running.set(name, { done, abort });
    done.finally(() => this.running.delete(name));
  }

  /** Claims and continues every environment with work left and a free or expired lease. */
  async resumeAll(): Promise<string[]> {
    if (this.stopping) return [];
    const names = (await this.store.claimable()).filter(
      n => !this.running.has(n),
    );
    for (const name of names) this.kick(name);
    return names;
  }

  /** Resolves when no work runs in this process (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()].map(r => r.done));
    }
  }

  private async work(name: string, abort: AbortController): Promise<void> {
    const before = await this.store.get(name);
    if (!(await this.store.claim(name, this.instanceId, this.leaseMs))) return;
    const heartbeat = setInterval(() => {
      this.store.renew(name, this.instanceId, this.leaseMs).then(
        ok => {
          if (!ok) abort.abort(new Interrupted('lease lost'));
        },
        () => undefined,
      );
    }, Math.max(250, this.leaseMs / 3));
    try {
      if (before?.leaseOwner && before.leaseOwner !== this.instanceId) {
        await this.event(
          name,
          'warning',
          undefined,
          `Taking over ${before.status} from replica ${before.leaseOwner}, whose lease expired`,
        );
      } else if (before && before.status !== 'pending') {
        const interrupted = (await this.store.getComponents(name)).filter(
          c => c.status === 'creating' || c.status === 'deleting',
        );
        if (interrupted.length) {
          await this.event(
            name,
            'info',
            undefined,
            `Resuming ${before.status} after an interruption (${interrupted
              .map(c => c.key)
              .join(', ')} in flight)`,
          );
        }
      }
      // Each phase ends in another status; a bounded number of phases per claim.
      for (let phase = 0; phase < 8 && !abort.signal.aborted; phase++) {
        const env = await this.store.get(name);
        if (!env) return;
        if (env.status === 'pending' || env.status === 'provisioning')
          await this.provision(env, abort.signal);
        else if (env.status === 'rolling-back')
          await this.teardown(env, abort.signal, 'rollback');
        else if (env.status === 'destroying')
          await this.teardown(env, abort.signal, 'destroy');
        else return;
      }
    } finally {
      clearInterval(heartbeat);
      await this.store.release(name, this.instanceId).catch(() => undefined);
    }
  }

  private async provision(
    env: EnvironmentRecord,
    signal: AbortSignal,
  ): Promise<void> {
    const name = env.name;
    if (env.destroyRequested) {
      await this.store.transition(name, ['pending', 'provisioning'], {
        status: 'destroying',
        destroyRequested: false,
      });
      return;
    }
    if (env.status === 'pending') {
      await this.store.transition(name, ['pending'], {
        status: 'provisioning',
        reason: undefined,
      });
      await this.event(
        name,
        'info',
        undefined,
        `Provisioning ${env.plan.components.length} components`,
      );
    }
    const started = Date.now();
    const inFlight = new Map<string, Promise<void>>();
    let stopLaunching = false;
    for (;;) {
      const components = await this.store.getComponents(name);
      const current = await this.store.get(name);
      if (current?.destroyRequested) stopLaunching = true;
      if (components.some(c => c.status === 'failed')) stopLaunching = true;
      if (!stopLaunching && !signal.aborted) {
        for (const key of runnableComponents(components)) {
          if (inFlight.has(key)) continue;
          const component = components.find(c => c.key === key)!;
          const run = this.createComponent(
            env,
            component,
            components,
            signal,
          ).finally(() => inFlight.delete(key));
          inFlight.set(key, run);
        }
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
    if (signal.aborted) return;

    const after = await this.store.getComponents(name);
    const current = (await this.store.get(name))!;
    if (current.destroyRequested) {
      await this.store.transition(name, ['provisioning'], {
        status: 'destroying',
        destroyRequested: false,
        reason: current.reason ?? 'destroy requested',
      });
      await this.event(
        name,
        'info',
        undefined,
        'Destroying, as requested during provisioning',
      );
      return;
    }
    const failed = after.filter(c => c.status === 'failed');
    if (failed.length > 0) {
      const reason = failed
        .map(
          c =>
            `component ${c.key} (${c.driver}) failed: ${
              c.error ?? 'unknown error'
            }`,
        )
        .join('; ');
      if (env.onFailure === 'keep') {
        await this.store.transition(name, ['provisioning'], {
          status: 'failed',
          reason: `${reason}; created components kept for a retry (onFailure: keep)`,
        });
        await this.event(
          name,
          'error',
          undefined,
          `Failed; kept what was created (onFailure: keep): ${reason}`,
        );
      } else {
        await this.store.transition(name, ['provisioning'], {
          status: 'rolling-back',
          reason,
        });
        await this.event(
          name,
          'error',
          undefined,
          `Failed, rolling back in reverse order: ${reason}`,
        );
      }
      return;
    }
    if (after.every(c => c.status === 'ready')) {
      const cluster = after.find(c => c.kind === 'kubernetes');
      const clusterId = cluster
        ? this.clusterIdOf(cluster.capabilities)
        : undefined;
      await this.store.transition(name, ['provisioning'], {
        status: 'ready',
        reason: undefined,
        clusterId,
      });
      await this.event(
        name,
        'info',
        undefined,
        `Ready${
          env.status === 'pending' ? ` in ${seconds(Date.now() - started)}` : ''
        }`,
      );
      if (cluster) await this.clustersChanged();
    }
  }

  private clusterIdOf(
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

  private async clustersChanged() {
    try {
      await this.options.onClustersChanged?.();
    } catch (error) {
      this.logger.warn(
        `Could not trigger inventory discovery: ${(error as Error).message}`,
      );
    }
  }

  private context(
    env: EnvironmentRecord,
    component: ComponentRecord,
    inputs: Record<string, unknown>,
    dependencies: Record<string, Record<string, unknown>>,
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
      logger: this.logger.child({
        environment: env.name,
        component: component.key,
      }),
      signal,
    };
  }

  /** Refuses work that stores secrets when there is no key to encrypt them with. */
  private requireSecrets(): SecretBox {
    if (!this.secrets) {
      throw new ServiceUnavailableError(
        'Environments cannot be created: multicluster.environments.secretKey is not set ' +
          '(it encrypts database passwords at rest)',
      );
    }
    return this.secrets;
  }

  /**
   * Capabilities of components, secrets decrypted: for reference resolution
   * and drivers only. Without a key, secret capabilities are left out.
   */
  private async capabilitiesWithSecrets(
    name: string,
    components: ComponentRecord[],
  ): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const c of components) out[c.key] = { ...c.capabilities };
    if (!this.secrets) return out;
    for (const s of await this.store.getSecrets(name)) {
      if (out[s.component]) {
        out[s.component][s.capability] = this.secrets.open(
          s.ciphertext,
          secretReference(name, s.component, s.capability),
        );
      }
    }
    return out;
  }

  /** The clear values of the secret capabilities among `components`, for redaction. */
  private secretValues(
    components: ComponentRecord[],
    caps: Record<string, Record<string, unknown>>,
  ): string[] {
    return components.flatMap(c =>
      secretCapabilities[c.kind]
        .map(k => caps[c.key]?.[k])
        .filter((v): v is string => typeof v === 'string' && v !== ''),
    );
  }

  private async knownSecrets(name: string): Promise<string[]> {
    const values: string[] = [];
    if (!this.secrets) return values;
    for (const s of await this.store.getSecrets(name)) {
      try {
        values.push(
          this.secrets.open(
            s.ciphertext,
            secretReference(name, s.component, s.capability),
          ),
        );
      } catch {
        // A secret we cannot read cannot leak either.
      }
    }
    return values;
  }

  private async createComponent(
    env: EnvironmentRecord,
    component: ComponentRecord,
    all: ComponentRecord[],
    signal: AbortSignal,
  ): Promise<void> {
    const name = env.name;
    const driver = this.catalog.driver(component.driver);
    const resumed = component.status === 'creating';
    const startedAt = component.startedAt ?? Date.now();
    await this.store.updateComponent(name, component.key, {
      status: 'creating',
      startedAt,
      error: undefined,
      drift: undefined,
    });
    await this.event(
      name,
      'info',
      component.key,
      `${resumed ? 'Resuming create of' : 'Creating'} ${component.key} (${
        component.driver
      }, template ${component.template})`,
    );
    const timeout = AbortSignal.timeout(
      this.settings.componentTimeoutMinutes * 60_000,
    );
    const combined = AbortSignal.any([signal, timeout]);
    let secretsSeen: string[] = [];
    try {
      const deps = all.filter(c => component.dependsOn.includes(c.key));
      const depCaps = await this.capabilitiesWithSecrets(name, deps);
      const inputs = resolveReferences(component.inputs, {
        environment: {
          name,
          type: env.type,
          cloud: env.cloud,
          owner: env.owner,
        },
        components: depCaps,
      });
      secretsSeen = this.secretValues(deps, depCaps);
      driver.validateInputs?.(inputs);
      const result = await raceSignal(
        driver.create(this.context(env, component, inputs, depCaps, combined)),
        combined,
      );
      const capabilities = validateCapabilities(
        component.kind,
        result.capabilities,
      ) as Record<string, unknown>;
      const secretNames = secretCapabilities[component.kind];
      const secretValues = secretNames.map(k => String(capabilities[k]));
      const stateText = JSON.stringify(result.state ?? {});
      if (secretValues.some(v => v && stateText.includes(v))) {
        throw new Error(
          `driver ${driver.id} returned a secret in its state; refusing to store it`,
        );
      }
      for (const k of secretNames) {
        await this.store.putSecret(
          name,
          component.key,
          k,
          this.requireSecrets().seal(
            String(capabilities[k]),
            secretReference(name, component.key, k),
          ),
        );
      }
      const publicCapabilities = Object.fromEntries(
        Object.entries(capabilities).filter(([k]) => !secretNames.includes(k)),
      );
      await this.store.updateComponent(name, component.key, {
        status: 'ready',
        capabilities: publicCapabilities,
        state: result.state,
        finishedAt: Date.now(),
        error: undefined,
      });
      await this.event(
        name,
        'info',
        component.key,
        `${component.key} ready in ${seconds(Date.now() - startedAt)}`,
      );
    } catch (error) {
      if (signal.aborted) {
        // Interrupted (shutdown or lost lease): stays `creating`; whoever resumes creates again.
        return;
      }
      const known = [...secretsSeen, ...(await this.knownSecrets(name))];
      const message = timeout.aborted
        ? `timed out after ${this.settings.componentTimeoutMinutes} minutes`
        : redactText(String((error as Error)?.message ?? error), known);
      await this.store.updateComponent(name, component.key, {
        status: 'failed',
        error: message,
        finishedAt: Date.now(),
      });
      await this.event(
        name,
        'error',
        component.key,
        `${component.key} failed: ${message}`,
      );
    }
  }

  /** Rollback (after a failure) or destroy: delete in reverse dependency order, parallel where independent. */
  private async teardown(
    env: EnvironmentRecord,
    signal: AbortSignal,
    mode: 'rollback' | 'destroy',
  ): Promise<void> {
    const name = env.name;
    const started = Date.now();
    const attempted = new Set<string>();
    const inFlight = new Map<string, Promise<void>>();
    for (;;) {
      const components = await this.store.getComponents(name);
      if (!signal.aborted) {
        for (const key of deletableComponents(components)) {
          if (inFlight.has(key) || attempted.has(key)) continue;
          attempted.add(key);
          const component = components.find(c => c.key === key)!;
          inFlight.set(
            key,
            this.deleteComponent(env, component, components, signal).finally(
              () => inFlight.delete(key),
            ),
          );
        }
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
    if (signal.aborted) return;
    const after = await this.store.getComponents(name);
    const left = after.filter(
      c => c.status !== 'deleted' && c.status !== 'pending',
    );
    const current = (await this.store.get(name))!;
    const from: EnvironmentStatus =
      mode === 'rollback' ? 'rolling-back' : 'destroying';
    if (left.length > 0) {
      const problems = left
        .map(c => `${c.key}${c.error ? ` (${c.error})` : ''}`)
        .join(', ');
      await this.store.transition(name, [from], {
        status: 'failed',
        destroyRequested: false,
        reason: `${
          mode === 'rollback'
            ? `${current.reason ?? 'failed'}; rollback incomplete`
            : 'destroy incomplete'
        }: ${problems} could not be deleted; DELETE the environment to retry`,
      });
      await this.event(
        name,
        'error',
        undefined,
        `${
          mode === 'rollback' ? 'Rollback' : 'Destroy'
        } incomplete: ${problems}`,
      );
      return;
    }
    if (mode === 'rollback' && !current.destroyRequested) {
      await this.store.transition(name, [from], {
        status: 'failed',
        reason: `${
          current.reason ?? 'failed'
        }; everything created was rolled back`,
      });
      await this.event(
        name,
        'info',
        undefined,
        `Rolled back in ${seconds(Date.now() - started)}`,
      );
    } else {
      await this.store.deleteSecrets(name);
      await this.store.transition(name, [from], {
        status: 'destroyed',
        destroyRequested: false,
        clusterId: undefined,
        reason:
          mode === 'rollback'
            ? 'failed and rolled back, then destroyed on request'
            : current.reason,
      });
      await this.event(
        name,
        'info',
        undefined,
        `Destroyed in ${seconds(Date.now() - started)}`,
      );
    }
    if (after.some(c => c.kind === 'kubernetes')) await this.clustersChanged();
  }

  private async deleteComponent(
    env: EnvironmentRecord,
    component: ComponentRecord,
    all: ComponentRecord[],
    signal: AbortSignal,
  ): Promise<void> {
    const name = env.name;
    const driver = this.catalog.driver(component.driver);
    const started = Date.now();
    await this.store.updateComponent(name, component.key, {
      status: 'deleting',
    });
    await this.event(
      name,
      'info',
      component.key,
      `Deleting ${component.key} (${component.driver})`,
    );
    const timeout = AbortSignal.timeout(
      this.settings.componentTimeoutMinutes * 60_000,
    );
    const combined = AbortSignal.any([signal, timeout]);
    let known: string[] = [];
    try {
      const deps = all.filter(c => component.dependsOn.includes(c.key));
      const depCaps = await this.capabilitiesWithSecrets(name, deps);
      known = this.secretValues(deps, depCaps);
      let inputs = component.inputs;
      try {
        inputs = resolveReferences(component.inputs, {
          environment: {
            name,
            type: env.type,
            cloud: env.cloud,
            owner: env.owner,
          },
          components: depCaps,
        });
      } catch {
        // A dependency that never became ready: delete works from the resource name and state.
      }
      await raceSignal(
        driver.delete({
          ...this.context(env, component, inputs, depCaps, combined),
          state: component.state,
        }),
        combined,
      );
      await this.store.deleteSecrets(name, component.key);
      await this.store.updateComponent(name, component.key, {
        status: 'deleted',
        capabilities: {},
        error: undefined,
        drift: undefined,
        finishedAt: Date.now(),
      });
      await this.event(
        name,
        'info',
        component.key,
        `${component.key} deleted in ${seconds(Date.now() - started)}`,
      );
    } catch (error) {
      if (signal.aborted) return;
      const message = timeout.aborted
        ? `delete timed out after ${this.settings.componentTimeoutMinutes} minutes`
        : redactText(String((error as Error)?.message ?? error), [
            ...known,
            ...(await this.knownSecrets(name)),
          ]);
      await this.store.updateComponent(name, component.key, {
        status: 'failed',
        error: `delete failed: ${message}`,
      });
      await this.event(
        name,
        'error',
        component.key,
        `${component.key} delete failed: ${message}`,
      );
    }
  }

  // ------------------------------------------------------------ periodic tasks

  /** Destroys ready or failed environments whose TTL passed. */
  async sweepExpired(now = Date.now()): Promise<string[]> {
    const names = await this.store.expired(now);
    const destroyed: string[] = [];
    for (const name of names) {
      if (
        await this.store.transition(name, ['ready', 'failed'], {
          status: 'destroying',
          reason: 'TTL expired',
        })
      ) {
        await this.event(name, 'info', undefined, 'TTL expired: destroying');
        destroyed.push(name);
        this.kick(name);
      }
    }
    return destroyed;
  }

  /**
   * Asks each driver whether the ready components still match; drifted ones
   * are marked (and can be healed). Environments stay `ready`: drift is a
   * component's state, and the environment's reason says which.
   */
  async checkDrift(): Promise<
    Array<{ environment: string; component: string; drift: string }>
  > {
    const found: Array<{
      environment: string;
      component: string;
      drift: string;
    }> = [];
    for (const name of await this.store.listNames(['ready'])) {
      if (this.stopping) break;
      const env = await this.store.get(name);
      if (!env || env.status !== 'ready') continue;
      const components = await this.store.getComponents(name);
      const caps = await this.capabilitiesWithSecrets(name, components);
      const drifted: string[] = [];
      for (const c of components.filter(x => x.status === 'ready')) {
        const driver = this.catalog.driver(c.driver);
        const ctx: ExistingComponentContext = {
          ...this.context(env, c, c.inputs, caps, AbortSignal.timeout(60_000)),
          state: c.state,
          capabilities: caps[c.key] ?? {},
        };
        let drift: string | undefined;
        try {
          if (driver.checkDrift) {
            drift = await driver.checkDrift(ctx);
          } else {
            const status = await driver.status(ctx);
            if (status.state === 'missing')
              drift = status.message ?? 'the resource no longer exists';
          }
        } catch (error) {
          this.logger.warn(
            `Drift check of ${name}/${c.key} failed: ${redactText(
              (error as Error).message,
            )}`,
          );
          continue;
        }
        if (drift) {
          const message = redactText(
            drift,
            secretCapabilities[c.kind].map(k => String(caps[c.key]?.[k] ?? '')),
          );
          await this.store.updateComponent(name, c.key, {
            status: 'drifted',
            drift: message,
          });
          await this.event(
            name,
            'warning',
            c.key,
            `${c.key} drifted: ${message}`,
          );
          drifted.push(c.key);
          found.push({ environment: name, component: c.key, drift: message });
        }
      }
      if (drifted.length) {
        await this.store.updateEnvironment(name, {
          reason: `drifted: ${drifted.join(', ')}; heal to recreate`,
        });
      }
    }
    return found;
  }

  /**
   * At startup: lets drivers that run local processes (emulated clusters,
   * embedded databases) start them again for every created component.
   */
  async attachAll(): Promise<void> {
    const names = await this.store.listNames([
      'ready',
      'provisioning',
      'failed',
      'rolling-back',
      'destroying',
    ]);
    for (const name of names) {
      const env = await this.store.get(name);
      if (!env) continue;
      const components = await this.store.getComponents(name);
      const live = components.filter(
        c =>
          ['ready', 'drifted', 'creating', 'deleting', 'failed'].includes(
            c.status,
          ) && c.state,
      );
      if (!live.length) continue;
      const caps = await this.capabilitiesWithSecrets(name, components);
      for (const c of live) {
        const driver = this.catalog.driver(c.driver);
        if (!driver.attach) continue;
        try {
          const result = await driver.attach({
            ...this.context(
              env,
              c,
              c.inputs,
              caps,
              AbortSignal.timeout(120_000),
            ),
            state: c.state,
            capabilities: caps[c.key] ?? {},
          });
          if (result?.capabilities && c.status === 'ready') {
            const next = validateCapabilities(c.kind, {
              ...caps[c.key],
              ...result.capabilities,
            }) as Record<string, unknown>;
            const publicNext = Object.fromEntries(
              Object.entries(next).filter(
                ([k]) => !secretCapabilities[c.kind].includes(k),
              ),
            );
            if (JSON.stringify(publicNext) !== JSON.stringify(c.capabilities)) {
              await this.store.updateComponent(name, c.key, {
                capabilities: publicNext,
              });
              await this.event(
                name,
                'warning',
                c.key,
                `${c.key} came back with new capabilities (e.g. another port)`,
              );
              if (c.kind === 'kubernetes') {
                await this.store.updateEnvironment(name, {
                  clusterId: this.clusterIdOf(publicNext),
                });
              }
            }
          }
        } catch (error) {
          await this.event(
            name,
            'warning',
            c.key,
            `${c.key} could not be restarted: ${redactText(
              (error as Error).message,
              secretCapabilities[c.kind].map(k =>
                String(caps[c.key]?.[k] ?? ''),
              ),
            )}`,
          );
        }
      }
    }
  }

  /** Stops work in this process: interrupted steps stay where they are and leases are released for the next replica. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const r of this.running.values())
      r.abort.abort(new Interrupted('backend shutting down'));
    const all = Promise.all([...this.running.values()].map(r => r.done));
    await Promise.race([
      all,
      new Promise(resolve => setTimeout(resolve, 10_000).unref()),
    ]);
  }

  // ------------------------------------------------------------- internals

  /** Environment capabilities with secrets in clear. Internal: never exposed through REST. */
  async revealCapabilities(
    name: string,
    component: string,
  ): Promise<Record<string, unknown>> {
    const components = await this.store.getComponents(name);
    const c = components.find(x => x.key === component);
    if (!c)
      throw new NotFoundError(
        `Environment ${name} has no component ${component}`,
      );
    return (await this.capabilitiesWithSecrets(name, [c]))[component] ?? {};
  }

  /** The clear value behind a secret reference. Internal: never exposed through REST. */
  async revealSecret(reference: string): Promise<string> {
    const parsed = parseSecretReference(reference);
    if (!parsed) throw new InputError(`not a secret reference: ${reference}`);
    const sealed = await this.store.getSecret(
      parsed.environment,
      parsed.component,
      parsed.capability,
    );
    if (!sealed) throw new NotFoundError(`No secret ${reference}`);
    return this.requireSecrets().open(sealed, reference);
  }

  /** How the inventory reaches the cluster of a `kubernetes` component (credentials resolved lazily). */
  async clusterAccess(
    name: string,
    key: string,
  ): Promise<ComponentClusterAccess> {
    const env = await this.store.get(name);
    const components = await this.store.getComponents(name);
    const component = components.find(c => c.key === key);
    if (!env || !component)
      throw new NotFoundError(`Environment ${name} has no component ${key}`);
    const caps = await this.capabilitiesWithSecrets(name, components);
    const driver = this.catalog.driver(component.driver);
    if (!driver.clusterAccess) {
      return {
        url: String(caps[key]?.endpoint),
        credentials: async () => ({ type: 'anonymous' }),
      };
    }
    return driver.clusterAccess({
      ...this.context(
        env,
        component,
        component.inputs,
        caps,
        AbortSignal.timeout(60_000),
      ),
      state: component.state,
      capabilities: caps[key] ?? {},
    });
  }

  driverFor(id: string): ComponentDriver {
    return this.catalog.driver(id);
  }

  /** Records a step: an event row (served by REST) and the same line in the backend log. No secrets reach here. */
  private async event(
    name: string,
    level: EnvironmentEventLevel,
    component: string | undefined,
    message: string,
  ) {
    const fields = { environment: name, ...(component ? { component } : {}) };
    const line = `Environment ${name}: ${message}`;
    if (level === 'error') this.logger.error(line, fields);
    else if (level === 'warning') this.logger.warn(line, fields);
    else this.logger.info(line, fields);
    await this.store.addEvent(name, { level, component, message });
  }
}
