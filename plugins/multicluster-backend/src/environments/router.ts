/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  type Environment,
  type EnvironmentStatus,
  environmentNameProblem,
  ENVIRONMENT_STATUSES,
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentDestroyPermission,
  multiclusterEnvironmentReadPermission,
  parseCreateEnvironmentRequest,
  DEFAULT_MULTICLUSTER_LIMITS,
} from '@archipelago/multicluster-common';
import {
  AuthorizeResult,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type express from 'express';
import Router from 'express-promise-router';
import type { MulticlusterRouter, RouteContext } from '../service/router';
import { csv } from '../service/queryParams';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { bodyAlreadyRead, jsonBody } from '../service/body';
import { errorHandler } from '../service/errors';
import {
  isEnvironmentOwnerRule,
  multiclusterEnvironmentResourceRef,
  multiclusterEnvironmentRules,
} from './permissions';
import type { EnvironmentsService } from './service';

/** What the environment routes need. @internal */
export interface EnvironmentsRouterOptions {
  service: EnvironmentsService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  /** Registers the environment resource type and its rules, so policies can return conditions. */
  permissionsRegistry?: PermissionsRegistryService;
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
 * @internal
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
 * The environment routes, added to the plugin's validated router:
 * `GET /environment-types`, `GET|POST /environments`,
 * `GET|DELETE /environments/:name`, `GET /environments/:name/events` and
 * `POST /environments/:name/heal`. openapi.yaml has checked names, types and
 * bounds before a handler runs. Reads and destroys are resource permissions:
 * a policy may allow them for the environment's owner only (`IS_OWNER`).
 * Secret capabilities are only ever references.
 * @internal
 */
export function addEnvironmentRoutes(
  router: MulticlusterRouter,
  context: Pick<RouteContext, 'audited'>,
  options: EnvironmentsRouterOptions,
): {
  readable: (
    name: string,
    credentials: BackstageCredentials,
  ) => Promise<Environment | undefined>;
} {
  const { service, permissions, httpAuth } = options;
  const { audited } = context;
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
    const env = await readableEnvironment(
      service,
      permissions,
      credentials,
      name,
    );
    if (!env) throw new NotFoundError(`No environment named ${name}`);
    return env;
  }

  router.get('/environment-types', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ items: service.listTypes() });
  });

  router.get('/environments', async (req, res) => {
    const query = req.query;
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    let after: string | undefined;
    if (query.cursor) {
      after = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (environmentNameProblem(after))
        throw new InputError(
          'cursor: not a cursor returned by this API (pass nextCursor as is)',
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
          `owner: must be an entity ref such as group:default/team-a (${
            (error as Error).message
          })`,
        );
      }
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
      const all = (
        await service.list({
          owner,
          type: query.type,
          cloud: query.cloud,
          status: csv<EnvironmentStatus>(query.status)?.filter(s =>
            (ENVIRONMENT_STATUSES as readonly string[]).includes(s),
          ),
        })
      ).filter(env => authorizeEnvironment(decision, env));
      const start = after ? all.findIndex(e => e.name > after!) : 0;
      const from = start < 0 ? all.length : start;
      const items = all.slice(from, from + limit);
      const more = from + limit < all.length;
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
    const dryRun = req.query.dryRun === 'true';
    const request = parseCreateEnvironmentRequest(req.body);
    await audited(
      req,
      'environment-create',
      {
        environment: request.name,
        type: request.type,
        cloud: request.cloud,
        dryRun: String(dryRun),
      },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const [decision] = await permissions.authorize(
          [{ permission: multiclusterEnvironmentCreatePermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            'You are not allowed to create environments (multicluster.environment.create)',
          );
        }
        if (dryRun) {
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
    const { name } = req.params;
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
    const { name } = req.params;
    const after =
      req.query.after === undefined ? undefined : Number(req.query.after);
    const limit = req.query.limit === undefined ? 500 : Number(req.query.limit);
    await audited(
      req,
      'environment-read',
      { queryType: 'events', environment: name },
      async () => {
        await readable(await httpAuth.credentials(req), name);
        res.json({ items: await service.events(name, { after, limit }) });
      },
    );
  });

  router.delete('/environments/:name', async (req, res) => {
    const { name } = req.params;
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
    const { name } = req.params;
    await audited(
      req,
      'environment-heal',
      { environment: name },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await readable(credentials, name);
        const [decision] = await permissions.authorize(
          [{ permission: multiclusterEnvironmentCreatePermission }],
          { credentials },
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

  return {
    readable: (name, credentials) =>
      readableEnvironment(service, permissions, credentials, name),
  };
}

const silentLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silentLogger,
};

/**
 * The environment routes alone on a validated router, for wiring that
 * imitates the plugin in older tests; the plugin itself mounts `createRouter`.
 * @internal
 * @deprecated Start the real plugin with startTestBackend instead.
 */
export function createEnvironmentsRouter(
  service: EnvironmentsService,
  options: Omit<EnvironmentsRouterOptions, 'service'> & {
    auditor?: AuditorService;
    logger?: LoggerService;
  },
): express.Router {
  const ready = (async () => {
    const router = await createOpenApiRouter({ middleware: [bodyAlreadyRead] });
    addEnvironmentRoutes(
      router,
      {
        async audited(req, eventId, meta, fn, severityLevel = 'low') {
          const event = await options.auditor?.createEvent({
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
        },
      },
      { ...options, service },
    );
    const outer = Router();
    outer.use(jsonBody(DEFAULT_MULTICLUSTER_LIMITS));
    outer.use(router);
    outer.use(errorHandler(options.logger ?? silentLogger));
    return outer;
  })();
  const outer = Router();
  outer.use(async (req, res, next) => (await ready)(req, res, next));
  return outer;
}
