/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { redactText } from '../../util/redact';
import type { EngineDeps } from './context';
import { applyChange } from './applyChange';
import { provision } from './provision';
import { teardown } from './teardown';

class Interrupted extends Error {
  name = 'Interrupted';
}

/**
 * The component runner. Every step is a row update, and the work on an
 * environment is done by whichever replica holds its lease: a backend that
 * stops mid-provision leaves the environment `provisioning`, with the
 * component it was creating `creating`; the next replica (or the same backend
 * restarted) claims the lease and calls the drivers' idempotent create again.
 */
export class ComponentRunner {
  /** Identifies this replica in leases; random per process by default. */
  readonly instanceId: string;
  private readonly running = new Map<
    string,
    { done: Promise<void>; abort: AbortController }
  >();
  private stopped = false;

  constructor(private readonly deps: EngineDeps, instanceId?: string) {
    this.instanceId =
      instanceId ??
      `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  /** True once shutdown began: no new work starts. */
  get stopping(): boolean {
    return this.stopped;
  }

  private get leaseMs() {
    return this.deps.settings.leaseSeconds * 1000;
  }

  /** Starts working on an environment in the background if it has work and its lease is free. */
  kick(name: string): void {
    if (this.stopped || this.running.has(name)) return;
    const abort = new AbortController();
    const done = this.work(name, abort).catch(error => {
      this.deps.logger.error(
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
    if (this.stopped) return [];
    const names = (await this.deps.store.claimable()).filter(
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

  /** Stops work in this process: interrupted steps stay where they are and leases are released for the next replica. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const r of this.running.values())
      r.abort.abort(new Interrupted('backend shutting down'));
    const all = Promise.all([...this.running.values()].map(r => r.done));
    await Promise.race([all, sleep(10_000, undefined, { ref: false })]);
  }

  private async work(name: string, abort: AbortController): Promise<void> {
    const before = await this.deps.store.get(name);
    if (!(await this.deps.store.claim(name, this.instanceId, this.leaseMs)))
      return;
    const heartbeat = setInterval(() => {
      this.deps.store.renew(name, this.instanceId, this.leaseMs).then(
        ok => {
          if (!ok) abort.abort(new Interrupted('lease lost'));
        },
        () => undefined,
      );
    }, Math.max(250, this.leaseMs / 3));
    try {
      if (before?.leaseOwner && before.leaseOwner !== this.instanceId) {
        await this.deps.events.record(
          name,
          'warning',
          undefined,
          `Taking over ${before.status} from replica ${before.leaseOwner}, whose lease expired`,
        );
      } else if (before && before.status !== 'pending') {
        const interrupted = (await this.deps.store.getComponents(name)).filter(
          c => c.status === 'creating' || c.status === 'deleting',
        );
        if (interrupted.length) {
          await this.deps.events.record(
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
        const env = await this.deps.store.get(name);
        if (!env) return;
        if (env.status === 'pending' || env.status === 'provisioning')
          await provision(this.deps, env, abort.signal);
        else if (env.status === 'updating')
          await applyChange(this.deps, env, abort.signal);
        else if (env.status === 'rolling-back')
          await teardown(this.deps, env, abort.signal, 'rollback');
        else if (env.status === 'destroying')
          await teardown(this.deps, env, abort.signal, 'destroy');
        else return;
      }
    } finally {
      clearInterval(heartbeat);
      await this.deps.store
        .release(name, this.instanceId)
        .catch(() => undefined);
    }
  }
}
