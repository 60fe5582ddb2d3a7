/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { ValidCreateEnvironmentRequest } from '@archipelago/multicluster-common';
import type {
  ComponentClusterAccess,
  ComponentDriver,
} from '@archipelago/multicluster-node';
import type { EnvironmentCatalog } from './catalog';
import {
  type ChangeSettings,
  EnvironmentChanges,
} from './changes/changeRequests';
import { EnvironmentEventLog } from './eventLog';
import { EnvironmentQuotas, type EnvironmentQuotaSettings } from './quotas';
import { type CreateOutcome, EnvironmentRequests } from './requests';
import { ComponentRunner } from './runner/ComponentRunner';
import {
  type ConnectionDetailsPublisher,
  type EngineDeps,
  type EngineSettings,
  existingContext,
} from './runner/context';
import { EnvironmentSecrets } from './secrets/EnvironmentSecrets';
import { type SecretBox, parseSecretReference } from './secrets/SecretBox';
import type { EnvironmentPlan } from './stagePlanner';
import type { EnvironmentStore } from './store/EnvironmentStore';
import type { EnvironmentRecord } from './store/records';
import { EnvironmentTasks } from './tasks';

export type { CreateOutcome } from './requests';
export type { EngineSettings } from './runner/context';

/** What the engine is built from. */
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
  /** Currency and TTL maximum of changes (defaults USD, 30 days). */
  changes?: Partial<Pick<ChangeSettings, 'currency' | 'maxTtlMinutes'>>;
  /** Per-owner quotas (defaults 10 environments, 3 dedicated database servers). */
  quotas?: EnvironmentQuotaSettings;
}

/**
 * The environments engine, assembled from its roles: request handling
 * (`requests`), the component runner (`runner`), the periodic tasks (`tasks`)
 * and the secrets (`secrets`). The methods below are the engine's surface for
 * the service, the inventory provider and tests.
 */
export class EnvironmentEngine {
  readonly requests: EnvironmentRequests;
  readonly runner: ComponentRunner;
  readonly tasks: EnvironmentTasks;
  readonly secrets: EnvironmentSecrets;
  readonly changes: EnvironmentChanges;
  readonly quotas: EnvironmentQuotas;
  private readonly deps: EngineDeps;

  constructor(options: EnvironmentEngineOptions) {
    this.secrets = new EnvironmentSecrets(
      options.store.secrets,
      options.secrets,
    );
    this.deps = {
      store: options.store,
      catalog: options.catalog,
      secrets: this.secrets,
      events: new EnvironmentEventLog(options.store.events, options.logger),
      logger: options.logger,
      settings: options.settings,
      onClustersChanged: options.onClustersChanged,
    };
    this.runner = new ComponentRunner(this.deps, options.instanceId);
    this.quotas = new EnvironmentQuotas(
      options.store,
      options.catalog,
      options.quotas ?? {
        environmentsPerOwner: 10,
        dedicatedDatabaseServersPerOwner: 3,
      },
    );
    this.requests = new EnvironmentRequests(this.deps, this.runner, (o, p) =>
      this.quotas.checkCreate(o, p),
    );
    this.tasks = new EnvironmentTasks(this.deps, this.runner);
    this.changes = new EnvironmentChanges(this.deps, this.runner, {
      currency: options.changes?.currency ?? 'USD',
      maxTtlMinutes: options.changes?.maxTtlMinutes ?? 43200,
      checkQuotas: (env, plan) => this.quotas.checkChange(env, plan),
    });
  }

  /** Keeps connection details in environments' clusters (set once, at startup). */
  setConnectionDetails(publisher: ConnectionDetailsPublisher): void {
    this.deps.connections = publisher;
  }

  /** The event log (events and log lines of each environment). */
  get events(): EngineDeps['events'] {
    return this.deps.events;
  }

  get instanceId(): string {
    return this.runner.instanceId;
  }

  plan(request: {
    type: string;
    cloud: string;
    inputs?: Record<string, unknown>;
  }): EnvironmentPlan {
    return this.requests.plan(request);
  }

  create(
    request: ValidCreateEnvironmentRequest,
    createdBy?: string,
  ): Promise<CreateOutcome> {
    return this.requests.create(request, createdBy);
  }

  destroy(name: string, why?: string): Promise<EnvironmentRecord> {
    return this.requests.destroy(name, why);
  }

  /** Recreates drifted components, then updates what reads them. */
  async heal(name: string, by?: string): Promise<EnvironmentRecord> {
    this.deps.secrets.require();
    return this.changes.start(await this.changes.planHeal(name), by);
  }

  kick(name: string): void {
    this.runner.kick(name);
  }

  resumeAll(): Promise<string[]> {
    return this.runner.resumeAll();
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  shutdown(): Promise<void> {
    return this.runner.shutdown();
  }

  sweepExpired(now?: number): Promise<string[]> {
    return this.tasks.sweepExpired(now);
  }

  checkDrift(): ReturnType<EnvironmentTasks['checkDrift']> {
    return this.tasks.checkDrift();
  }

  attachAll(): Promise<void> {
    return this.tasks.attachAll();
  }

  /** The clear value behind a secret reference (the component's current generation). */
  async revealSecret(reference: string): Promise<string> {
    const parsed = parseSecretReference(reference);
    const component = parsed
      ? (await this.deps.store.getComponents(parsed.environment)).find(
          c => c.key === parsed.component,
        )
      : undefined;
    return this.secrets.reveal(reference, component?.generation ?? 1);
  }

  /** A component's capabilities with secrets in clear. Internal: never exposed through REST. */
  async revealCapabilities(
    name: string,
    component: string,
  ): Promise<Record<string, unknown>> {
    const c = (await this.deps.store.getComponents(name)).find(
      x => x.key === component,
    );
    if (!c)
      throw new NotFoundError(
        `Environment ${name} has no component ${component}`,
      );
    return (await this.secrets.withSecrets(name, [c]))[component] ?? {};
  }

  /** How the inventory reaches the cluster of a `kubernetes` component (credentials resolved lazily). */
  async clusterAccess(
    name: string,
    key: string,
  ): Promise<ComponentClusterAccess> {
    const env = await this.deps.store.get(name);
    const components = await this.deps.store.getComponents(name);
    const component = components.find(c => c.key === key);
    if (!env || !component)
      throw new NotFoundError(`Environment ${name} has no component ${key}`);
    const caps = await this.secrets.withSecrets(name, components);
    const driver = this.deps.catalog.driver(component.driver);
    if (!driver.clusterAccess) {
      return {
        url: String(caps[key]?.endpoint),
        credentials: async () => ({ type: 'anonymous' }),
      };
    }
    return driver.clusterAccess(
      existingContext(this.deps, env, component, caps, 60_000),
    );
  }

  driverFor(id: string): ComponentDriver {
    return this.deps.catalog.driver(id);
  }
}
