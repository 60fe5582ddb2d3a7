/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import { setTimeout as sleep } from 'node:timers/promises';

/** An example environment of `multicluster.environments.local.exampleEnvironments`. @public */
export interface ExampleEnvironment {
  name: string;
  type: string;
  owner: string;
}

/** The owner entity has not been ingested yet: worth waiting for at startup. */
class OwnerNotInCatalogYet extends Error {}

function status(error: unknown): number | undefined {
  const e = error as { response?: { status?: number }; name?: string };
  if (e?.name === 'NotFoundError') return 404;
  return e?.response?.status;
}

/**
 * Creates each example environment on the `local` cloud unless one of that
 * name exists (in any state: a destroyed example stays destroyed). It runs in
 * the background after startup, through the plugin's own REST API with the
 * plugin's service credentials, once its owner is in the catalog (examples
 * start before the catalog has ingested its example groups), retrying while
 * the API or the catalog is not answering yet (bounded by `attempts`); a
 * failure is logged, never thrown: the demo data must not stop the backend.
 * @internal
 */
export async function ensureExampleEnvironments(options: {
  environments: ExampleEnvironment[];
  multicluster: MulticlusterService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  signal?: AbortSignal;
  attempts?: number;
  retryDelayMs?: number;
}): Promise<string[]> {
  const { environments, multicluster, catalog, auth, logger, signal } =
    options;
  const attempts = options.attempts ?? 60;
  const created: string[] = [];
  for (const example of environments) {
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return created;
      try {
        const credentials = await auth.getOwnServiceCredentials();
        try {
          await multicluster.getEnvironment(example.name, { credentials });
          break;
        } catch (error) {
          if (status(error) !== 404) throw error;
        }
        if (!(await catalog.getEntityByRef(example.owner, { credentials }))) {
          throw new OwnerNotInCatalogYet(
            `its owner ${example.owner} is not in the catalog`,
          );
        }
        await multicluster.createEnvironment(
          { ...example, cloud: 'local' },
          { credentials },
        );
        created.push(example.name);
        logger.info(
          `Created the example environment ${example.name} (${example.type} on local)`,
        );
        break;
      } catch (error) {
        const code = status(error);
        // A 4xx is an answer (a bad example, a name taken): retrying changes nothing.
        if ((code && code < 500) || attempt >= attempts) {
          logger.warn(
            `Could not create the example environment ${example.name}: ${
              (error as Error).message
            }`,
          );
          break;
        }
        await sleep(options.retryDelayMs ?? 2000, undefined, { signal }).catch(
          () => undefined,
        );
      }
    }
  }
  return created;
}
