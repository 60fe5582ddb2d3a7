/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  secretCapabilities,
  validateCapabilities,
} from '@archipelago/multicluster-common';
import type { ComponentDriftReport } from '@archipelago/multicluster-node';
import { redactText } from '../util/redact';
import { type ExpiryNotifier, warnExpiring } from './expiry';
import {
  type EngineDeps,
  clusterIdOf,
  existingContext,
} from './runner/context';
import type { ComponentRunner } from './runner/ComponentRunner';

/** Scheduler task id: every replica resumes work whose lease expired. */
export const ENVIRONMENTS_RESUME_TASK_ID = 'multicluster-environments-resume';
/** Scheduler task id: destroys environments whose TTL passed. */
export const ENVIRONMENTS_TTL_TASK_ID = 'multicluster-environments-ttl';
/** Scheduler task id: asks drivers whether ready components drifted. */
export const ENVIRONMENTS_DRIFT_TASK_ID = 'multicluster-environments-drift';

/**
 * The periodic tasks of the environments: TTL (destroy what is forgotten),
 * drift (ask drivers whether what exists still matches), resume (take over
 * work whose lease expired) and, at startup, attach (restart local processes).
 */
export class EnvironmentTasks {
  constructor(
    private readonly deps: EngineDeps,
    private readonly runner: ComponentRunner,
  ) {}

  /** Destroys ready or failed environments whose TTL passed. */
  async sweepExpired(now = Date.now()): Promise<string[]> {
    const names = await this.deps.store.expired(now);
    const destroyed: string[] = [];
    for (const name of names) {
      if (
        await this.deps.store.transition(name, ['ready', 'failed'], {
          status: 'destroying',
          reason: 'TTL expired',
        })
      ) {
        await this.deps.events.record(
          name,
          'info',
          undefined,
          'TTL expired: destroying',
        );
        destroyed.push(name);
        this.runner.kick(name);
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
    for (const name of await this.deps.store.listNames(['ready'])) {
      if (this.runner.stopping) break;
      const env = await this.deps.store.get(name);
      if (!env || env.status !== 'ready') continue;
      const components = await this.deps.store.getComponents(name);
      const caps = await this.deps.secrets.withSecrets(name, components);
      const drifted: string[] = [];
      for (const c of components.filter(x => x.status === 'ready')) {
        const driver = this.deps.catalog.driver(c.driver);
        const ctx = existingContext(this.deps, env, c, caps, 60_000);
        let report: ComponentDriftReport | undefined;
        try {
          if (driver.checkDrift) {
            const checked = await driver.checkDrift(ctx);
            report =
              typeof checked === 'string'
                ? { summary: checked, differences: [] }
                : checked;
          } else {
            const status = await driver.status(ctx);
            if (status.state === 'missing')
              report = {
                summary: status.message ?? 'the resource no longer exists',
                differences: [{ resource: c.resourceName, actual: 'missing' }],
              };
          }
        } catch (error) {
          this.deps.logger.warn(
            `Drift check of ${name}/${c.key} failed: ${redactText(
              (error as Error).message,
            )}`,
          );
          continue;
        }
        if (report) {
          const known = secretCapabilities[c.kind].map(k =>
            String(caps[c.key]?.[k] ?? ''),
          );
          const scrub = (v?: string) =>
            v === undefined ? undefined : redactText(String(v), known);
          const details: ComponentDriftReport = {
            summary: scrub(report.summary)!,
            differences: (report.differences ?? []).slice(0, 50).map(d => ({
              ...(d.field !== undefined ? { field: scrub(d.field) } : {}),
              ...(d.resource !== undefined
                ? { resource: scrub(d.resource) }
                : {}),
              ...(d.expected !== undefined
                ? { expected: scrub(d.expected) }
                : {}),
              ...(d.actual !== undefined ? { actual: scrub(d.actual) } : {}),
            })),
          };
          const what = details.differences
            .map(d =>
              [
                d.field ?? d.resource,
                d.expected !== undefined || d.actual !== undefined
                  ? `expected ${d.expected ?? '-'}, found ${d.actual ?? '-'}`
                  : undefined,
              ]
                .filter(Boolean)
                .join(': '),
            )
            .filter(Boolean)
            .join('; ');
          await this.deps.store.updateComponent(name, c.key, {
            status: 'drifted',
            drift: details.summary,
            driftDetails: { ...details, detectedAt: new Date().toISOString() },
          });
          await this.deps.events.record(
            name,
            'warning',
            c.key,
            `${c.key} drifted: ${details.summary}${what ? ` (${what})` : ''}`,
          );
          drifted.push(c.key);
          found.push({
            environment: name,
            component: c.key,
            drift: details.summary,
          });
        }
      }
      if (drifted.length) {
        await this.deps.store.updateEnvironment(name, {
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
    const names = await this.deps.store.listNames([
      'ready',
      'provisioning',
      'updating',
      'failed',
      'rolling-back',
      'destroying',
    ]);
    for (const name of names) {
      const env = await this.deps.store.get(name);
      if (!env) continue;
      const components = await this.deps.store.getComponents(name);
      const live = components.filter(
        c =>
          ['ready', 'drifted', 'creating', 'deleting', 'failed'].includes(
            c.status,
          ) && c.state,
      );
      if (!live.length) continue;
      const caps = await this.deps.secrets.withSecrets(name, components);
      for (const c of live) {
        const driver = this.deps.catalog.driver(c.driver);
        if (!driver.attach) continue;
        try {
          const result = await driver.attach(
            existingContext(this.deps, env, c, caps, 120_000),
          );
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
              await this.deps.store.updateComponent(name, c.key, {
                capabilities: publicNext,
              });
              await this.deps.events.record(
                name,
                'warning',
                c.key,
                `${c.key} came back with new capabilities (e.g. another port)`,
              );
              if (c.kind === 'kubernetes') {
                await this.deps.store.updateEnvironment(name, {
                  clusterId: clusterIdOf(publicNext),
                });
              }
            }
          }
        } catch (error) {
          await this.deps.events.record(
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

  /**
   * Schedules resume (every replica: the lease makes one win), TTL and drift
   * (global: one replica per round).
   */
  async schedule(
    scheduler: SchedulerService,
    options: {
      leaseSeconds: number;
      ttl: { checkIntervalSeconds: number; warnBeforeMinutes?: number };
      notifier?: ExpiryNotifier;
      drift: { enabled: boolean; intervalSeconds: number };
      logger: LoggerService;
    },
  ): Promise<void> {
    const { logger } = options;
    await scheduler.scheduleTask({
      id: ENVIRONMENTS_RESUME_TASK_ID,
      scope: 'local',
      frequency: { seconds: options.leaseSeconds },
      timeout: { seconds: 60 },
      initialDelay: { seconds: options.leaseSeconds },
      fn: async () => {
        await this.runner.resumeAll();
      },
    });
    await scheduler.scheduleTask({
      id: ENVIRONMENTS_TTL_TASK_ID,
      scope: 'global',
      frequency: { seconds: options.ttl.checkIntervalSeconds },
      timeout: { seconds: 300 },
      initialDelay: { seconds: Math.min(30, options.ttl.checkIntervalSeconds) },
      fn: async () => {
        await warnExpiring({
          store: this.deps.store,
          events: this.deps.events,
          logger,
          notifier: options.notifier,
          warnBeforeMinutes: options.ttl.warnBeforeMinutes ?? 60,
        });
        const destroyed = await this.sweepExpired();
        if (destroyed.length)
          logger.info(`TTL expired, destroying: ${destroyed.join(', ')}`);
      },
    });
    if (options.drift.enabled) {
      await scheduler.scheduleTask({
        id: ENVIRONMENTS_DRIFT_TASK_ID,
        scope: 'global',
        frequency: { seconds: options.drift.intervalSeconds },
        timeout: { seconds: 600 },
        initialDelay: { seconds: Math.min(60, options.drift.intervalSeconds) },
        fn: async () => {
          const drifted = await this.checkDrift();
          if (drifted.length) {
            logger.warn(
              `Drift found: ${drifted
                .map(d => `${d.environment}/${d.component}`)
                .join(', ')}`,
            );
          }
        },
      });
    }
  }
}
