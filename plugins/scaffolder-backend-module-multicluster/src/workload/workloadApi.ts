/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type {
  Workload,
  WorkloadPlan,
  WorkloadRequest,
} from '@archipelago/multicluster-common';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { actionError } from '../actions/environmentShared';

/** What the workload actions need from the backend. @public */
export interface WorkloadActionOptions {
  /** The multicluster plugin (`multiclusterServiceRef`). */
  multicluster: MulticlusterService;
  /** Service credentials for the calls when the task has no user token. */
  auth: AuthService;
  /** Poll interval while waiting, milliseconds (default 2,000); tests shorten it. */
  pollIntervalMs?: number;
}

/** A 404 from the REST API (ResponseError), or the service mock's NotFoundError. */
const isNotFound = (error: unknown) =>
  (error as { statusCode?: number })?.statusCode === 404 ||
  (error as Error)?.name === 'NotFoundError';

/**
 * The workload routes as the task's initiator, so the multicluster plugin's
 * permission policy (workload write, cluster deploy) applies to the user who
 * ran the template; a task without a user acts as the scaffolder itself.
 * Errors are the server's messages.
 * @internal
 */
export class WorkloadApi {
  constructor(
    private readonly options: WorkloadActionOptions,
    private readonly initiator: () => Promise<BackstageCredentials>,
  ) {}

  private async credentials(): Promise<BackstageCredentials> {
    try {
      const credentials = await this.initiator();
      if ((credentials.principal as { type?: string })?.type !== 'none')
        return credentials;
    } catch {
      // fall through to the scaffolder's own identity
    }
    return this.options.auth.getOwnServiceCredentials();
  }

  private async call<T>(fn: (c: BackstageCredentials) => Promise<T>) {
    try {
      return await fn(await this.credentials());
    } catch (error) {
      throw actionError(error);
    }
  }

  /** The workload, or undefined when there is none (or the caller may not read it). */
  async find(
    name: string,
    signal?: AbortSignal,
  ): Promise<Workload | undefined> {
    const credentials = await this.credentials();
    try {
      return await this.options.multicluster.getWorkload(name, {
        credentials,
        signal,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw actionError(error);
    }
  }

  apply(request: WorkloadRequest, exists: boolean, signal?: AbortSignal) {
    return this.call<Workload>(credentials =>
      exists
        ? this.options.multicluster.updateWorkload(request.name, request, {
            credentials,
            signal,
          })
        : this.options.multicluster.createWorkload(request, {
            credentials,
            signal,
          }),
    );
  }

  plan(request: WorkloadRequest, exists: boolean, signal?: AbortSignal) {
    return this.call<WorkloadPlan>(credentials =>
      exists
        ? this.options.multicluster.planWorkloadUpdate(request.name, request, {
            credentials,
            signal,
          })
        : this.options.multicluster.planWorkload(request, {
            credentials,
            signal,
          }),
    );
  }

  /** Starts deleting; false when there was nothing to delete. */
  async delete(name: string, signal?: AbortSignal): Promise<boolean> {
    const credentials = await this.credentials();
    try {
      await this.options.multicluster.deleteWorkload(name, {
        credentials,
        signal,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw actionError(error);
    }
  }

  /**
   * Polls the workload until `done` says it is settled, the deadline passes
   * (throws with where it stands) or the task is cancelled. `onChange` hears
   * each new status reason.
   */
  async until(
    name: string,
    done: (w: Workload | undefined) => boolean,
    options: {
      timeoutMinutes: number;
      signal?: AbortSignal;
      onChange?: (w: Workload | undefined) => void;
    },
  ): Promise<Workload | undefined> {
    const deadline = Date.now() + options.timeoutMinutes * 60_000;
    let last = '';
    for (;;) {
      const w = await this.find(name, options.signal);
      const seen = w
        ? `${w.revision} ${w.status.phase} ${w.status.reason}`
        : 'gone';
      if (seen !== last) {
        last = seen;
        options.onChange?.(w);
      }
      if (done(w)) return w;
      if (options.signal?.aborted) throw new Error('the task was cancelled');
      if (Date.now() >= deadline)
        throw new Error(
          `workload ${name} did not settle within ${
            options.timeoutMinutes
          } minutes: ${w ? `${w.status.phase} - ${w.status.reason}` : 'gone'}`,
        );
      await sleep(this.options.pollIntervalMs ?? 2000, undefined, {
        signal: options.signal,
      }).catch(() => undefined);
    }
  }
}
