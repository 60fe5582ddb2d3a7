/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import { EnvironmentApi } from './environmentApi';

/** What the environment actions need from the backend. @public */
export interface EnvironmentActionOptions {
  /** The multicluster plugin (`multiclusterServiceRef`). */
  multicluster: MulticlusterService;
  /** For the action's own service credentials when the task carries no user token. */
  auth: AuthService;
  /** Namespace of the environment Resources in the catalog (default `default`). */
  catalogNamespace?: string;
  /** Poll interval while waiting; tests shorten it. */
  pollIntervalMs?: number;
}

/**
 * An API client acting for the task's initiator, so the multicluster
 * plugin's permission policy applies to the user who ran the template. When
 * the task carries no user (a recovered task whose token expired), it acts
 * as the scaffolder's own service, which the portal already trusted to run it.
 * @internal
 */
export function apiFor(
  options: EnvironmentActionOptions,
  getInitiatorCredentials: () => Promise<BackstageCredentials>,
): EnvironmentApi {
  return new EnvironmentApi(options.multicluster, async () => {
    try {
      const credentials = await getInitiatorCredentials();
      if (
        credentials.principal &&
        (credentials.principal as { type?: string }).type !== 'none'
      )
        return credentials;
    } catch {
      // fall through to the service's own identity
    }
    return options.auth.getOwnServiceCredentials();
  });
}

/**
 * Turns an API error into the action error a template author can act on:
 * the server's message (which names the field and what is allowed) without
 * the HTTP wrapping.
 * @internal
 */
export function actionError(error: unknown): Error {
  if (
    error instanceof ResponseError ||
    (error as Error)?.name === 'ResponseError'
  ) {
    const e = error as ResponseError;
    const message = e.body?.error?.message ?? e.message;
    switch (e.statusCode) {
      case 400:
        return new InputError(message);
      case 403:
        return new NotAllowedError(message);
      case 409:
        return new ConflictError(message);
      default:
        return new Error(
          `multicluster API answered ${e.statusCode}: ${message}`,
        );
    }
  }
  return error as Error;
}
