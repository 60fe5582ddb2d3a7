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
import type { Config } from '@backstage/config';
import {
  type ClusterConnectionRole,
  type Environment,
  type MulticlusterLimits,
  readMulticlusterLimits,
  type Workload,
} from '@archipelago/multicluster-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ConditionTransformer } from '@backstage/plugin-permission-node';
import type express from 'express';
import Router from 'express-promise-router';
import type { ClusterConnection } from '../inventory/ConnectionRegistry';
import type {
  ClusterLabelCondition,
  InventoryStore,
} from '../inventory/InventoryStore';
import type { EnvironmentsService } from '../environments/service';
import { addEnvironmentRoutes } from '../environments/router';
import { addPlacementRoutes } from '../placement/router';
import { addWorkloadRoutes, type Workloads } from '../workloads';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { bodyAlreadyRead, jsonBody } from './body';
import { addClusterRoutes } from './clusterRoutes';
import { addConnectionRoutes } from './connectionRoutes';
import { errorHandler } from './errors';
import { ClusterLabelIndex } from './labelIndex';
import type { RefreshOutcome } from './refreshAnswer';

/** The router all routes of the plugin are added to: typed by openapi.yaml. @internal */
export type MulticlusterRouter = Awaited<
  ReturnType<typeof createOpenApiRouter>
>;

/** What the router needs from the plugin. @internal */
export interface RouterOptions {
  store: InventoryStore;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  transformConditions: ConditionTransformer<ClusterLabelCondition>;
  /**
   * Asks for discovery and a probe round now and says what happened to each
   * (void: both scheduled).
   */
  refresh: () => Promise<RefreshOutcome | void>;
  /** Resolves how to reach a cluster on this replica (runs providers if needed). */
  connectionFor: (urlKey: string) => Promise<ClusterConnection | undefined>;
  historyLimit: number;
  /** Plugin ids that may read connection details, by the role of the credentials. */
  connectionCallers: Record<ClusterConnectionRole, string[]>;
  /** The root config: `multicluster.limits` is read from it (defaults without). */
  config?: Config;
  /** The environments service; without it the environment routes are not served. */
  environments?: EnvironmentsService;
  /** Registers the environment resource type, so policies can return conditions. */
  permissionsRegistry?: PermissionsRegistryService;
  /** Ownership refs of callers: environments are created for an owner the caller belongs to. */
  userInfo?: UserInfoService;
  /**
   * The environment named by an entity's archipelago.dev/environment
   * annotation, if the caller may read it. Defaults to the environments
   * service with its read permission.
   */
  environmentFor?: (
    name: string,
    credentials: BackstageCredentials,
  ) => Promise<Environment | undefined>;
  /** The workloads engine; without it the workload routes are not served. */
  workloads?: Workloads;
  /**
   * The workloads of a catalog entity the caller may read (by `entityRef`
   * and by the `archipelago.dev/workload` annotation). Defaults to the
   * workloads engine's.
   */
  workloadsFor?: (
    credentials: BackstageCredentials,
    entityRef: string,
    names: string[],
  ) => Promise<Workload[]>;
}

/** What every group of routes shares. @internal */
export interface RouteContext {
  limits: MulticlusterLimits;
  labelIndex: ClusterLabelIndex;
  /** Runs `fn` with an audit event that succeeds or fails with it. */
  audited<T>(
    req: express.Request,
    eventId: string,
    meta: Record<string, string>,
    fn: () => Promise<T>,
    severityLevel?: 'low' | 'medium' | 'high',
  ): Promise<T>;
}

/**
 * The REST API of the plugin: one router validated against
 * src/schema/openapi.yaml. A request that breaks the spec never reaches a
 * handler (400 naming the field); bodies are bounded by
 * `multicluster.limits` before they are parsed; errors are Backstage error
 * bodies without stack traces or internals.
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const limits = options.config
    ? readMulticlusterLimits(options.config)
    : readMulticlusterLimits({ getOptionalNumber: () => undefined });
  // Bodies are read before the validator's router: its error transformer
  // would turn a 413 into a 400.
  const router = await createOpenApiRouter({ middleware: [bodyAlreadyRead] });
  const context: RouteContext = {
    limits,
    labelIndex: new ClusterLabelIndex(options.store),
    async audited(req, eventId, meta, fn, severityLevel = 'low') {
      const event = await options.auditor.createEvent({
        eventId,
        request: req,
        severityLevel,
        meta,
      });
      try {
        const result = await fn();
        await event.success();
        return result;
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  };
  const environments = options.environments
    ? addEnvironmentRoutes(router, context, {
        service: options.environments,
        permissions: options.permissions,
        httpAuth: options.httpAuth,
        permissionsRegistry: options.permissionsRegistry,
        userInfo: options.userInfo,
        catalog: options.catalog,
        auth: options.auth,
      })
    : undefined;
  const workloads = options.workloads
    ? addWorkloadRoutes(router, context, {
        service: options.workloads.service,
        permissions: options.permissions,
        httpAuth: options.httpAuth,
        permissionsRegistry: options.permissionsRegistry,
        inScope: options.workloads.inScope,
      })
    : undefined;
  addClusterRoutes(router, context, {
    ...options,
    environmentFor: options.environmentFor ?? environments?.readable,
    workloadsFor: options.workloadsFor ?? workloads?.forEntity,
  });
  addConnectionRoutes(router, context, options);
  addPlacementRoutes(router, context, options);
  const outer = Router();
  outer.use(jsonBody(limits));
  outer.use(router);
  outer.use(errorHandler(options.logger));
  return outer;
}
