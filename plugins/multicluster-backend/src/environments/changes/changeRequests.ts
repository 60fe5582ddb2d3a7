/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type EnvironmentChangePlan,
  type UpdateEnvironmentRequest,
} from '@archipelago/multicluster-common';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { estimateCost } from '../cost';
import type { ComponentRunner } from '../runner/ComponentRunner';
import type { EngineDeps } from '../runner/context';
import { requestHash, toComponentState } from '../serialize';
import type { EnvironmentPlan, PlannedComponent } from '../stagePlanner';
import type { ComponentRecord, EnvironmentRecord } from '../store/records';
import { planComponentChanges } from './changePlanner';
import { startChange } from './startChange';
import type { ChangeTarget, PendingChange } from './types';

/** What a change request needs besides the engine. */
export interface ChangeSettings {
  currency: string;
  /** The furthest an expiry may be from now. */
  maxTtlMinutes: number;
  /** Called with the target plan before anything is written (per-owner quotas). */
  checkQuotas?: (
    env: EnvironmentRecord,
    target: EnvironmentPlan,
  ) => Promise<void>;
}

/** A planned change, ready to be started. */
export interface PreparedChange {
  env: EnvironmentRecord;
  plan: EnvironmentChangePlan;
  target: ChangeTarget;
  pending: PendingChange;
  components: ComponentRecord[];
}

/**
 * Changes of environments that exist: update, rollback and heal are planned
 * the same way (per component unchanged, updated in place, replaced…) and
 * applied by the component runner; extend changes the expiry only. Every
 * method validates first and writes nothing when it refuses.
 */
export class EnvironmentChanges {
  constructor(
    private readonly deps: EngineDeps,
    private readonly runner: ComponentRunner,
    private readonly settings: ChangeSettings,
  ) {}

  private async ready(name: string): Promise<EnvironmentRecord> {
    const env = await this.deps.store.get(name);
    if (!env || env.status === 'destroyed')
      throw new NotFoundError(`No environment named ${name}`);
    if (env.status !== 'ready') {
      throw new ConflictError(
        `Environment ${name} is ${env.status}; only a ready environment can be changed`,
      );
    }
    return env;
  }

  private expiryFor(ttlMinutes: number, subject: string): number {
    if (ttlMinutes > this.settings.maxTtlMinutes) {
      throw new InputError(
        `Invalid ${subject}: ttlMinutes: ${ttlMinutes} is over the maximum of ${this.settings.maxTtlMinutes} minutes ` +
          `(multicluster.environments.ttl.maxMinutes)`,
      );
    }
    return Date.now() + ttlMinutes * 60_000;
  }

  /** Plans a change of `env` to `target`; throws an InputError naming each input a driver refuses. */
  private async prepare(
    env: EnvironmentRecord,
    operation: PendingChange['operation'],
    target: ChangeTarget,
    subject: string,
    options: { recreate?: Map<string, string>; restores?: number } = {},
  ): Promise<PreparedChange> {
    const components = await this.deps.store.getComponents(env.name);
    let driverProblem: string | undefined;
    const planned = planComponentChanges({
      current: components.map(c => ({
        key: c.key,
        kind: c.kind,
        template: c.template,
        driver: c.driver,
        inputs: c.inputs,
        dependsOn: c.dependsOn,
        capabilities: toComponentState(env.name, c).capabilities,
      })),
      target: target.plan.components,
      driver: id => {
        try {
          const d = this.deps.catalog.driver(id);
          return {
            canUpdate: typeof d.update === 'function',
            updates: d.updates,
            validateUpdate: d.validateUpdate?.bind(d),
          };
        } catch (error) {
          driverProblem = (error as Error).message;
          return { canUpdate: false };
        }
      },
      recreate: options.recreate,
    });
    if (driverProblem)
      throw new InputError(`Invalid ${subject}: ${driverProblem}`);
    if (planned.problems.length)
      throw new InputError(
        `Invalid ${subject}: ${planned.problems.join('; ')}`,
      );
    const fromRevision = env.revision;
    const toRevision =
      operation === 'heal'
        ? env.revision
        : (await this.deps.store.revisions.latest(env.name)) + 1;
    const changed = planned.components.some(c => c.action !== 'unchanged');
    const plan: EnvironmentChangePlan = {
      environment: env.name,
      operation,
      fromRevision,
      toRevision,
      from: {
        type: env.type,
        cloud: env.cloud,
        ...(env.ttlMinutes !== undefined ? { ttlMinutes: env.ttlMinutes } : {}),
      },
      to: {
        type: target.type,
        cloud: target.cloud,
        ...(target.ttlMinutes !== undefined
          ? { ttlMinutes: target.ttlMinutes }
          : {}),
      },
      components: planned.components,
      stages: planned.stages,
      changed,
      cost: {
        from: estimateCost(env.plan.components, this.settings.currency),
        to: estimateCost(target.plan.components, this.settings.currency),
      },
    };
    return {
      env,
      plan,
      target,
      components,
      pending: {
        operation,
        revision: toRevision,
        fromRevision,
        ...(options.restores !== undefined
          ? { restores: options.restores }
          : {}),
        phase: 'apply',
        target,
        plan,
        startedAt: Date.now(),
      },
    };
  }

  /** The plan of `PUT /environments/:name`. */
  async planUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
  ): Promise<PreparedChange> {
    const subject = 'update environment request';
    const env = await this.ready(name);
    if (request.cloud && request.cloud !== env.cloud) {
      throw new InputError(
        `Invalid ${subject}: cloud: an update cannot move environment ${name} from ${env.cloud} to ${request.cloud}; ` +
          `promote it to a new environment instead (POST /environments/${name}/promote)`,
      );
    }
    const type = request.type ?? env.type;
    const inputs = request.inputs ?? env.inputs;
    const plan = this.deps.catalog.plan(
      { type, cloud: env.cloud, inputs },
      subject,
    );
    const ttl =
      request.ttlMinutes !== undefined
        ? {
            ttlMinutes: request.ttlMinutes,
            expiresAt: this.expiryFor(request.ttlMinutes, subject),
          }
        : { ttlMinutes: env.ttlMinutes, expiresAt: env.expiresAt };
    const target: ChangeTarget = {
      type,
      cloud: env.cloud,
      inputs,
      requestHash: requestHash({
        type,
        cloud: env.cloud,
        owner: env.owner,
        inputs,
      }),
      plan: {
        ...plan,
        cost: estimateCost(plan.components, this.settings.currency),
      },
      ...ttl,
    };
    const prepared = await this.prepare(env, 'update', target, subject);
    await this.settings.checkQuotas?.(env, target.plan);
    return prepared;
  }

  /** The plan of `POST /environments/:name/rollback`. */
  async planRollback(name: string, revision: number): Promise<PreparedChange> {
    const subject = 'rollback request';
    const env = await this.ready(name);
    const kept = await this.deps.store.revisions.list(name);
    const found = kept.find(r => r.revision === revision);
    const applied = kept
      .filter(r => r.status === 'applied')
      .map(r => r.revision);
    if (!found) {
      throw new InputError(
        `Invalid ${subject}: revision: environment ${name} has no revision ${revision}; kept revisions: ${
          kept
            .map(r => r.revision)
            .sort((a, b) => a - b)
            .join(', ') || 'none'
        }`,
      );
    }
    if (found.status !== 'applied') {
      throw new InputError(
        `Invalid ${subject}: revision: revision ${revision} was never applied (${found.status}); ` +
          `roll back to one of ${applied.sort((a, b) => a - b).join(', ')}`,
      );
    }
    if (revision === env.revision) {
      throw new InputError(
        `Invalid ${subject}: revision: environment ${name} is at revision ${revision} already`,
      );
    }
    const target: ChangeTarget = {
      type: found.type,
      cloud: found.cloud,
      inputs: found.inputs,
      requestHash: requestHash({
        type: found.type,
        cloud: found.cloud,
        owner: env.owner,
        inputs: found.inputs,
      }),
      plan: found.plan,
      ttlMinutes: env.ttlMinutes,
      expiresAt: env.expiresAt,
    };
    const prepared = await this.prepare(env, 'rollback', target, subject, {
      restores: revision,
    });
    await this.settings.checkQuotas?.(env, target.plan);
    return prepared;
  }

  /** The plan of a heal: drifted components are created again, then what reads them is updated. */
  async planHeal(name: string): Promise<PreparedChange> {
    const env = await this.ready(name);
    const components = await this.deps.store.getComponents(name);
    const recreate = new Map(
      components
        .filter(c => c.status === 'drifted')
        .map(c => [
          c.key,
          `drifted: ${
            c.driftDetails?.summary ?? c.drift ?? 'it no longer matches'
          }`,
        ]),
    );
    const target: ChangeTarget = {
      type: env.type,
      cloud: env.cloud,
      inputs: env.inputs,
      requestHash: env.requestHash,
      plan: {
        ...env.plan,
        components: components.map(
          (c): PlannedComponent => ({
            key: c.key,
            kind: c.kind,
            template: c.template,
            driver: c.driver,
            inputs: c.inputs,
            dependsOn: c.dependsOn,
            ...(env.plan.components.find(p => p.key === c.key)?.hourlyPrice !==
            undefined
              ? {
                  hourlyPrice: env.plan.components.find(p => p.key === c.key)!
                    .hourlyPrice,
                }
              : {}),
          }),
        ),
      },
      ttlMinutes: env.ttlMinutes,
      expiresAt: env.expiresAt,
    };
    return this.prepare(env, 'heal', target, 'heal request', { recreate });
  }

  /**
   * Starts a prepared change: one transaction moves the environment to
   * `updating`, records each component's step and the revision, then the
   * runner applies it. A change that only moves the TTL is recorded at once.
   */
  async start(
    prepared: PreparedChange,
    createdBy?: string,
  ): Promise<EnvironmentRecord> {
    return startChange(this.deps, this.runner, prepared, createdBy);
  }
  /** Extends the TTL by `ttlMinutes`, within the configured maximum from now. */
  async extend(
    name: string,
    ttlMinutes: number,
    by?: string,
  ): Promise<EnvironmentRecord> {
    const env = await this.deps.store.get(name);
    if (!env || env.status === 'destroyed')
      throw new NotFoundError(`No environment named ${name}`);
    if (!['ready', 'updating', 'failed'].includes(env.status)) {
      throw new ConflictError(
        `Environment ${name} is ${env.status}; its TTL cannot be extended`,
      );
    }
    if (env.expiresAt === undefined) {
      throw new ConflictError(
        `Environment ${name} has no TTL: it does not expire, so there is nothing to extend`,
      );
    }
    const now = Date.now();
    const expiresAt = Math.max(env.expiresAt, now) + ttlMinutes * 60_000;
    const max = this.settings.maxTtlMinutes;
    if (expiresAt - now > max * 60_000) {
      const allowed = Math.floor(
        (now + max * 60_000 - Math.max(env.expiresAt, now)) / 60_000,
      );
      throw new InputError(
        `Invalid extend request: ttlMinutes: extending by ${ttlMinutes} minutes would put the expiry more than ${max} minutes from now ` +
          `(multicluster.environments.ttl.maxMinutes); at most ${Math.max(
            0,
            allowed,
          )} more minutes are allowed`,
      );
    }
    await this.deps.store.updateEnvironment(name, {
      expiresAt,
      expiryWarnedAt: undefined,
    });
    await this.deps.events.record(
      name,
      'info',
      undefined,
      `TTL extended by ${ttlMinutes} minutes${
        by ? ` by ${by}` : ''
      }: expires at ${new Date(expiresAt).toISOString()}`,
    );
    return (await this.deps.store.get(name))!;
  }
}
