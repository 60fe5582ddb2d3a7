/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ENVIRONMENT_STATUSES,
  type Environment,
  environmentNameProblem,
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentDestroyPermission,
  multiclusterEnvironmentReadPermission,
  parseCreateEnvironmentRequest,
  parseInput,
} from '@archipelago/multicluster-common';
import {
  AuthorizeResult,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  isEnvironmentOwnerRule,
  multiclusterEnvironmentResourceRef,
  multiclusterEnvironmentRules,
} from './permissions';
import type { EnvironmentsService } from './service';

export interface EnvironmentsRouterOptions {
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  /** Registers the environment resource type and its rules, so policies can return conditions. */
  permissionsRegistry?: PermissionsRegistryService;
  auditor?: AuditorService;
}

const listQuerySchema = z
  .object({
    owner: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    cloud: z.string().min(1).optional(),
    status: z
      .union([z.string(), z.array(z.string())])
      .transform(v =>
        (Array.isArray(v) ? v : v.split(','))
          .map(s => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z.enum(ENVIRONMENT_STATUSES, {
            errorMap: () => ({
              message: `must be one of ${ENVIRONMENT_STATUSES.join(', ')}`,
            }),
          }),
        ),
      )
      .optional(),
    limit: z.coerce
      .number({ invalid_type_error: 'must be a number between 1 and 500' })
      .int('must be a whole number between 1 and 500')
      .min(1, 'must be between 1 and 500')
      .max(500, 'must be between 1 and 500')
      .default(100),
    cursor: z.string().optional(),
  })
  .strict();

const eventsQuerySchema = z
  .object({
    after: z.coerce
      .number({ invalid_type_error: 'must be an event id' })
      .int()
      .min(0)
      .optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1, 'must be between 1 and 1000')
      .max(1000, 'must be between 1 and 1000')
      .default(500),
  })
  .strict();

const createQuerySchema = z
  .object({
    dryRun: z
      .enum(['true', 'false'], {
        errorMap: () => ({ message: 'must be true or false' }),
      })
      .optional(),
  })
  .strict();

function nameParam(name: string): string {
  const problem = environmentNameProblem(name);
  if (problem) throw new InputError(`Invalid environment name: ${problem}`);
  return name;
}

function principalRef(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user') return p.userEntityRef;
  if (p.type === 'service') return p.subject;
  return undefined;
}

const authorizeEnvironment = createConditionAuthorizer(
  Object.values(multiclusterEnvironmentRules),
);

/**
 * The environment if the caller may read it (multicluster.environment.read,
 * conditions included); undefined otherwise. For other routes of the plugin,
 * such as entity → environments.
 */
export async function readableEnvironment(
  service: EnvironmentsService,
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  name: string,
): Promise<Environment | undefined> {
  const env = await service.get(name);
  if (!env) return undefined;
  const [decision] = await permissions.authorizeConditional(
    [{ permission: multiclusterEnvironmentReadPermission }],
    { credentials },
  );
  return authorizeEnvironment(decision, env) ? env : undefined;
}

/**
 * The environments REST API, mounted at the plugin root:
 * `GET /environment-types`, `GET|POST /environments`,
 * `GET|DELETE /environments/:name`, `GET /environments/:name/events` and
 * `POST /environments/:name/heal`. Reads and deletes are resource
 * permissions: a policy may allow them for the environment's owner only
 * (`IS_OWNER`). Secret capabilities are only ever references.
 */
export function createEnvironmentsRouter(
  service: EnvironmentsService,
  options: EnvironmentsRouterOptions,
): express.Router {
  const { permissions, httpAuth, auditor } = options;
  if (options.permissionsRegistry) {
    options.permissionsRegistry.addResourceType({
      resourceRef: multiclusterEnvironmentResourceRef,
      permissions: [
        multiclusterEnvironmentReadPermission,
        multiclusterEnvironmentDestroyPermission,
      ],
      rules: [isEnvironmentOwnerRule],
      getResources: async names =>
        Promise.all(names.map(async n => (await service.get(n)) ?? undefined)),
    });
    options.permissionsRegistry.addPermissions([
      multiclusterEnvironmentCreatePermission,
    ]);
  }

  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  async function audited<T>(
    req: express.Request,
    eventId: string,
    meta: Record<string, string>,
    fn: () => Promise<T>,
    severityLevel: 'low' | 'medium' | 'high' = 'low',
  ): Promise<T> {
    const event = await auditor?.createEvent({
      eventId,
      request: req,
      severityLevel,
      meta,
    });
    try {
      const result = await fn();
      await event?.success();
      return result;
    } catch (error) {
      await event?.fail({ error: error as Error });
      throw error;
    }
  }

  async function decide(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<PolicyDecision> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  }

  /** The environment if the caller may read it; 404 otherwise (existence is not leaked). */
  async function readable(
    credentials: BackstageCredentials,
    name: string,
  ): Promise<Environment> {
    const env = await readableEnvironment(service, permissions, credentials, name);
    if (!env) throw new NotFoundError(`No environment named ${name}`);
    return env;
  }

  router.get('/environment-types', async (req, res) => {
    if (Object.keys(req.query).length) {
      throw new InputError(
        `Unknown query parameter ${
          Object.keys(req.query)[0]
        }; /environment-types takes none`,
      );
    }
    await httpAuth.credentials(req);
    res.json({ items: service.listTypes() });
  });

  router.get('/environments', async (req, res) => {
    const query = parseInput(listQuerySchema, req.query, 'query');
    let after: string | undefined;
    if (query.cursor) {
      after = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (environmentNameProblem(after))
        throw new InputError(
          'Invalid query: cursor: not a cursor from a previous page',
        );
    }
    await audited(req, 'environment-read', { queryType: 'list' }, async () => {
      const credentials = await httpAuth.credentials(req);
      const decision = await decide(
        credentials,
        multiclusterEnvironmentReadPermission,
      );
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(
          'You are not allowed to read environments (multicluster.environment.read)',
        );
      }
      let owner: string | undefined;
      if (query.owner) {
        try {
          owner = stringifyEntityRef(
            parseEntityRef(query.owner, {
              defaultKind: 'group',
              defaultNamespace: 'default',
            }),
          );
        } catch (error) {
          throw new InputError(
            `Invalid query: owner: must be an entity ref such as group:default/team-a (${
              (error as Error).message
            })`,
          );
        }
      }
      const all = (
        await service.list({
          owner,
          type: query.type,
          cloud: query.cloud,
          status: query.status,
        })
      ).filter(env => authorizeEnvironment(decision, env));
      const start = after ? all.findIndex(e => e.name > after!) : 0;
      const from = start < 0 ? all.length : start;
      const items = all.slice(from, from + query.limit);
      const more = from + query.limit < all.length;
      res.json({
        items,
        totalItems: all.length,
        ...(more
          ? {
              nextCursor: Buffer.from(
                items[items.length - 1].name,
                'utf8',
              ).toString('base64url'),
            }
          : {}),
      });
    });
  });

  router.post('/environments', async (req, res) => {
    const { dryRun } = parseInput(createQuerySchema, req.query, 'query');
    const request = parseCreateEnvironmentRequest(req.body);
    await audited(
      req,
      'environment-create',
      {
        environment: request.name,
        type: request.type,
        cloud: request.cloud,
        dryRun: String(dryRun === 'true'),
      },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const [decision] = await permissions.authorize(
          [{ permission: multiclusterEnvironmentCreatePermission }],
          {
            credentials,
          },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            'You are not allowed to create environments (multicluster.environment.create)',
          );
        }
        if (dryRun === 'true') {
          res.json({ dryRun: true, plan: service.plan(request) });
          return;
        }
        const outcome = await service.create(
          request,
          principalRef(credentials),
        );
        // 201 created, 202 a kept failure is being retried, 200 the same request again.
        let status = 200;
        if (outcome.created) status = 201;
        else if (outcome.retried) status = 202;
        res.status(status).json(outcome.view);
      },
      'medium',
    );
  });

  router.get('/environments/:name', async (req, res) => {
    const name = nameParam(req.params.name);
    if (Object.keys(req.query).length)
      throw new InputError(
        `Unknown query parameter ${Object.keys(req.query)[0]}`,
      );
    await audited(
      req,
      'environment-read',
      { queryType: 'by-name', environment: name },
      async () => {
        res.json(await readable(await httpAuth.credentials(req), name));
      },
    );
  });

  router.get('/environments/:name/events', async (req, res) => {
    const name = nameParam(req.params.name);
    const query = parseInput(eventsQuerySchema, req.query, 'query');
    await audited(
      req,
      'environment-read',
      { queryType: 'events', environment: name },
      async () => {
        await readable(await httpAuth.credentials(req), name);
        res.json({
          items: await service.events(name, {
            after: query.after,
            limit: query.limit,
          }),
        });
      },
    );
  });

  router.delete('/environments/:name', async (req, res) => {
    const name = nameParam(req.params.name);
    if (Object.keys(req.query).length)
      throw new InputError(
        `Unknown query parameter ${Object.keys(req.query)[0]}`,
      );
    await audited(
      req,
      'environment-destroy',
      { environment: name },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const env = await readable(credentials, name);
        const decision = await decide(
          credentials,
          multiclusterEnvironmentDestroyPermission,
        );
        if (!authorizeEnvironment(decision, env)) {
          throw new NotAllowedError(
            `You are not allowed to destroy environment ${name} (multicluster.environment.destroy)`,
          );
        }
        const after = await service.destroy(name);
        res.status(after.status === 'destroyed' ? 200 : 202).json(after);
      },
      'high',
    );
  });

  router.post('/environments/:name/heal', async (req, res) => {
    const name = nameParam(req.params.name);
    await audited(
      req,
      'environment-heal',
      { environment: name },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await readable(credentials, name);
        const [decision] = await permissions.authorize(
          [{ permission: multiclusterEnvironmentCreatePermission }],
          {
            credentials,
          },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            'Healing recreates components: it needs multicluster.environment.create',
          );
        }
        res.status(202).json(await service.heal(name));
      },
      'medium',
    );
  });

  return router;
}
