/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { ValidCreateEnvironmentRequest } from '@archipelago/multicluster-common';
import type { EngineDeps } from './runner/context';
import type { ComponentRunner } from './runner/ComponentRunner';
import { requestHash, resourceNameFor } from './serialize';
import type { EnvironmentPlan } from './stagePlanner';
import type { EnvironmentRecord } from './store/records';

/** What a create request did. */
export interface CreateOutcome {
  environment: EnvironmentRecord;
  /** True when this call created it; false when it existed with the same inputs. */
  created: boolean;
  /** True when a failed environment (kept with onFailure: keep) was retried. */
  retried: boolean;
}

/**
 * Request handling: plan, create, destroy and heal as REST and the actions ask
 * for them. Each validates, writes the rows the runner works from, and kicks
 * the runner; none waits for a driver.
 */
export class EnvironmentRequests {
  constructor(
    private readonly deps: EngineDeps,
    private readonly runner: ComponentRunner,
    /** Per-owner quotas, checked before a new environment is written. */
    private readonly checkQuotas?: (
      owner: string,
      plan: EnvironmentPlan,
    ) => Promise<void>,
  ) {}

  /** The plan of a request, without creating anything (dry runs). */
  plan(request: {
    type: string;
    cloud: string;
    inputs?: Record<string, unknown>;
  }): EnvironmentPlan {
    return this.deps.catalog.plan(request);
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
    const plan = this.deps.catalog.plan(request);
    this.deps.secrets.require();
    const before = await this.deps.store.get(request.name);
    if (!before || before.status === 'destroyed')
      await this.checkQuotas?.(owner, plan);
    const hash = requestHash({
      type: request.type,
      cloud: request.cloud,
      owner,
      inputs: request.inputs,
    });
    const now = Date.now();
    const ttlMinutes =
      request.ttlMinutes ?? this.deps.settings.defaultTtlMinutes;
    const created = await this.deps.store.create(
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
          this.deps.settings.resourcePrefix,
          request.name,
          c.key,
        ),
      })),
      `Requested${createdBy ? ` by ${createdBy}` : ''}: ${request.type} on ${
        request.cloud
      }, owner ${owner}; ` +
        `order ${plan.stages.map(s => s.join(' + ')).join(' → ')}`,
    );
    const existing = await this.deps.store.get(request.name);
    if (!existing)
      throw new Error(
        `environment ${request.name} vanished while it was being created`,
      );
    if (created) {
      this.runner.kick(existing.name);
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
      await this.deps.store.resetComponents(existing.name, [
        'failed',
        'deleted',
        'deleting',
        'creating',
      ]);
      if (
        await this.deps.store.transition(existing.name, ['failed'], {
          status: 'pending',
          reason: 'retry requested',
        })
      ) {
        await this.deps.events.record(
          existing.name,
          'info',
          undefined,
          'Retry requested with the same inputs',
        );
        this.runner.kick(existing.name);
        return {
          environment: (await this.deps.store.get(existing.name))!,
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
    const env = await this.deps.store.get(name);
    if (!env) throw new NotFoundError(`No environment named ${name}`);
    if (env.status === 'destroyed' || env.status === 'destroying') return env;
    if (env.status === 'ready' || env.status === 'failed') {
      if (
        await this.deps.store.transition(name, ['ready', 'failed'], {
          status: 'destroying',
          reason: why,
        })
      ) {
        await this.deps.events.record(
          name,
          'info',
          undefined,
          `Destroying: ${why}`,
        );
      }
    } else {
      // pending, provisioning or rolling-back: the worker switches to destroying
      // once the components in flight finish.
      await this.deps.store.updateEnvironment(name, {
        destroyRequested: true,
        reason: why,
      });
      await this.deps.events.record(
        name,
        'info',
        undefined,
        `Destroy requested while ${env.status}; it follows once in-flight steps finish`,
      );
    }
    this.runner.kick(name);
    return (await this.deps.store.get(name))!;
  }
}
