/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  type Environment,
  type EnvironmentStatus,
  environmentNameProblem,
  ENVIRONMENT_STATUSES,
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentDestroyPermission,
  multiclusterEnvironmentReadPermission,
  multiclusterEnvironmentSecretReadPermission,
  multiclusterEnvironmentUpdatePermission,
  parseCreateEnvironmentRequest,
  DEFAULT_MULTICLUSTER_LIMITS,
} from '@archipelago/multicluster-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { EnvironmentAccess, ownerRef } from './access';
import { addEnvironmentChangeRoutes } from './changeRoutes';
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
import { principalRef } from './principal';
import type { EnvironmentsService } from './service';

/** What the environment routes need. @internal */
export interface EnvironmentsRouterOptions {
  service: EnvironmentsService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  /** Registers the environment resource type and its rules, so policies can return conditions. */
  permissionsRegistry?: PermissionsRegistryService;
  /** The caller's ownership refs: who may own what they create. */
  userInfo?: UserInfoService;
  /** Owners must exist in the catalog (asked with the plugin's own credentials). */
  catalog?: CatalogService;
  auth?: AuthService;
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
 * `GET|DELETE /environments/:name`, `GET /environments/:name/events`, and
 * the change routes (changeRoutes.ts). openapi.yaml has checked names, types
 * and bounds before a handler runs. Every route on an environment goes
 * through {@link EnvironmentAccess}: read, update, destroy and secret read
 * are resource permissions a policy may grant owners only (`IS_OWNER`); a
 * caller who cannot read gets 404. Secret capabilities are references except
 * through the audited reveal route.
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
        multiclusterEnvironmentUpdatePermission,
        multiclusterEnvironmentDestroyPermission,
        multiclusterEnvironmentSecretReadPermission,
      ],
      rules: [isEnvironmentOwnerRule],
      getResources: async names =>
        Promise.all(names.map(async n => (await service.get(n)) ?? undefined)),
    });
    options.permissionsRegistry.addPermissions([
      multiclusterEnvironmentCreatePermission,
    ]);
  }
  const access = new EnvironmentAccess({
    service,
    permissions,
    userInfo: options.userInfo,
    catalog: options.catalog,
    auth: options.auth,
  });

  async function requireCreate(credentials: BackstageCredentials) {
    const [decision] = await permissions.authorize(
      [{ permission: multiclusterEnvironmentCreatePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'You are not allowed to create environments (multicluster.environment.create)',
      );
    }
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
        owner = ownerRef(query.owner);
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
      const decision = await access.decide(
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
        await requireCreate(credentials);
        const owner = ownerRef(request.owner);
        // Type, cloud and inputs first: a 400 names them before anything is looked up.
        const plan = service.plan(request);
        // An existing name answers only what the caller may read: someone
        // else's environment is a 404, with no owner, type or cloud.
        const existing = await service.get(request.name);
        if (existing && existing.status !== 'destroyed') {
          await access.require(
            credentials,
            request.name,
            existing.status === 'failed'
              ? multiclusterEnvironmentUpdatePermission
              : undefined,
            'retry',
          );
        }
        await access.checkOwner(credentials, owner);
        await access.checkOwnerExists(owner);
        if (dryRun) {
          res.json({ dryRun: true, plan });
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
        res.json(await access.require(await httpAuth.credentials(req), name));
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
        await access.require(await httpAuth.credentials(req), name);
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
        await access.require(
          credentials,
          name,
          multiclusterEnvironmentDestroyPermission,
          'destroy',
        );
        const after = await service.destroy(name);
        res.status(after.status === 'destroyed' ? 200 : 202).json(after);
      },
      'high',
    );
  });

  addEnvironmentChangeRoutes(router, context, {
    service,
    httpAuth,
    access,
    requireCreate,
  });

  return {
    readable: (name, credentials) => access.readable(credentials, name),
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
