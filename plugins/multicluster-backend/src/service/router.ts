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
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_CLUSTER_SELECTOR,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_KUBERNETES_CLUSTER,
  type Environment,
  type Cluster,
  type LabelSelector,
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
} from '@archipelago/multicluster-common';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ConditionTransformer } from '@backstage/plugin-permission-node';
import express from 'express';
import Router from 'express-promise-router';
import type { ClusterConnection } from '../inventory/ConnectionRegistry';
import { hashOf } from '../inventory/cursor';
import type {
  ClusterAccessFilter,
  ClusterLabelCondition,
  InventoryStore,
} from '../inventory/InventoryStore';
import { redactText } from '../util/redact';
import {
  parseClusterId,
  parseListQuery,
  parseSelectorParam,
  rejectQuery,
} from './queryParams';

/** Connection details for the Kubernetes plugin (internal endpoint only). */
export interface ConnectionDetails {
  id: string;
  name: string;
  url: string;
  caData?: string;
  skipTLSVerify: boolean;
  health: string;
  authProvider: string;
  authMetadata?: Record<string, string>;
  /** For authProvider serviceAccount. */
  serviceAccountToken?: string;
  /** Set when the cluster cannot be handed to the Kubernetes plugin, with why. */
  unsupported?: string;
}

export interface RouterOptions {
  store: InventoryStore;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  transformConditions: ConditionTransformer<ClusterLabelCondition>;
  /** Triggers discovery then probing; resolves once scheduled. */
  refresh: () => Promise<void>;
  /** Resolves how to reach a cluster on this replica (runs providers if needed). */
  connectionFor: (urlKey: string) => Promise<ClusterConnection | undefined>;
  historyLimit: number;
  /** Plugin ids whose service principal may read connection details. */
  connectionCallers: string[];
  /**
   * The environment named by an entity's archipelago.dev/environment annotation,
   * if the caller may read it (environment permissions apply).
   */
  environmentFor?: (
    name: string,
    credentials: BackstageCredentials,
  ) => Promise<Environment | undefined>;
}

/**
 * The REST API (see src/schema/openapi.yaml). Every handler reads stored
 * state: no request waits on a cluster. Errors are thrown as Backstage errors
 * and rendered by the httpRouter's error handler.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { store, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json({ limit: '100kb' }));

  /** The caller's view: everything, a label filter, or nothing (403). */
  async function accessFor(
    credentials: BackstageCredentials,
  ): Promise<{ filter: ClusterAccessFilter; decision: any }> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: multiclusterClusterReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        'You are not allowed to read clusters (multicluster.cluster.read)',
      );
    }
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return {
        filter: options.transformConditions(decision.conditions),
        decision,
      };
    }
    return { filter: undefined, decision };
  }

  /** Weak ETag over the inventory revision, the request and the caller's access; 304 when unchanged. */
  async function notModified(
    req: express.Request,
    res: express.Response,
    access: ClusterAccessFilter,
  ): Promise<boolean> {
    const revision = await store.getRevision();
    const etag = `W/"${revision}-${hashOf([
      req.path,
      req.query,
      access ?? null,
    ])}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    const inm = req.header('if-none-match');
    if (
      inm &&
      inm.split(',').some(t => t.trim() === etag || t.trim() === '*')
    ) {
      res.status(304).end();
      return true;
    }
    return false;
  }

  async function audited<T>(
    req: express.Request,
    eventId: string,
    meta: Record<string, string>,
    fn: () => Promise<T>,
    severityLevel: 'low' | 'medium' | 'high' = 'low',
  ): Promise<T> {
    const event = await auditor.createEvent({
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
  }

  router.get('/clusters', async (req, res) => {
    const query = parseListQuery(req.query as Record<string, unknown>);
    await audited(req, 'cluster-read', { queryType: 'list' }, async () => {
      const credentials = await httpAuth.credentials(req);
      const { filter } = await accessFor(credentials);
      if (await notModified(req, res, filter)) return;
      res.json(await store.listClusters(query, filter));
    });
  });

  router.post('/clusters/refresh', async (req, res) => {
    rejectQuery(req.query as Record<string, unknown>);
    await audited(
      req,
      'cluster-refresh',
      {},
      async () => {
        const credentials = await httpAuth.credentials(req);
        const [decision] = await permissions.authorize(
          [{ permission: multiclusterClusterRefreshPermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            'You are not allowed to refresh clusters (multicluster.cluster.refresh)',
          );
        }
        await options.refresh();
        res
          .status(202)
          .json({
            status: 'accepted',
            message: 'discovery and a probe round were scheduled',
          });
      },
      'medium',
    );
  });

  router.get('/clusters/:id', async (req, res) => {
    rejectQuery(req.query as Record<string, unknown>);
    const id = parseClusterId(req.params.id);
    await audited(
      req,
      'cluster-read',
      { queryType: 'by-id', clusterId: id },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const { filter } = await accessFor(credentials);
        const cluster = await store.getCluster(id, filter);
        if (!cluster) throw new NotFoundError(`No cluster with id ${id}`);
        res.json(cluster);
      },
    );
  });

  router.get('/clusters/:id/health', async (req, res) => {
    rejectQuery(req.query as Record<string, unknown>);
    const id = parseClusterId(req.params.id);
    await audited(
      req,
      'cluster-read',
      { queryType: 'health', clusterId: id },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const { filter } = await accessFor(credentials);
        const cluster = await store.getCluster(id, filter);
        if (!cluster) throw new NotFoundError(`No cluster with id ${id}`);
        if (await notModified(req, res, filter)) return;
        const history = await store.getHealthHistory(id, options.historyLimit);
        res.json({ current: cluster.status, history });
      },
    );
  });

  router.get('/summary', async (req, res) => {
    rejectQuery(req.query as Record<string, unknown>);
    await audited(req, 'cluster-read', { queryType: 'summary' }, async () => {
      const credentials = await httpAuth.credentials(req);
      const { filter } = await accessFor(credentials);
      if (await notModified(req, res, filter)) return;
      res.json(await store.summary(filter));
    });
  });

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    rejectQuery(req.query as Record<string, unknown>);
    const { kind, namespace, name } = req.params;
    for (const [param, value] of Object.entries({ kind, namespace, name })) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(value)) {
        throw new InputError(
          `Invalid path parameter ${param}: letters, digits, ".", "_" and "-" only`,
        );
      }
    }
    const entityRef = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    await audited(
      req,
      'cluster-read',
      { queryType: 'by-entity', entityRef },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const { filter } = await accessFor(credentials);
        // Read as the caller, so catalog permissions decide whether the entity is visible.
        const entity = await options.catalog.getEntityByRef(
          { kind, namespace, name },
          { credentials },
        );
        if (!entity) throw new NotFoundError(`No catalog entity ${entityRef}`);
        const annotations = entity.metadata.annotations ?? {};
        const selectorText = annotations[ANNOTATION_CLUSTER_SELECTOR];
        const clusterNames = (annotations[ANNOTATION_KUBERNETES_CLUSTER] ?? '')
          .split(',')
          .map(s => s.trim())
          .filter(Boolean);
        let selector: LabelSelector | undefined;
        if (selectorText !== undefined && selectorText.trim() !== '') {
          try {
            selector = parseSelectorParam(
              selectorText,
              `annotation ${ANNOTATION_CLUSTER_SELECTOR}`,
            );
          } catch (error) {
            // The entity's own annotation is wrong, not the request: say so precisely.
            throw new InputError(
              `Entity ${entityRef} has an invalid ${ANNOTATION_CLUSTER_SELECTOR}: ${
                (error as Error).message
              }`,
            );
          }
        }
        // An environment annotation adds the environment and the cluster it created.
        const environments: Environment[] = [];
        const clusters: Cluster[] = [];
        const environmentName = annotations[ANNOTATION_ENVIRONMENT]?.trim();
        if (environmentName && options.environmentFor) {
          const environment = await options.environmentFor(environmentName, credentials);
          if (environment) {
            environments.push(environment);
            const cluster = environment.clusterId
              ? await store.getCluster(environment.clusterId, filter)
              : undefined;
            if (cluster) clusters.push(cluster);
          }
        }
        if (!selector && clusterNames.length === 0) {
          res.json({ clusters, environments });
          return;
        }
        let cursor: string | undefined;
        // Bounded: at most 20 pages of 500 (10,000 clusters) for one entity.
        for (let page = 0; page < 20; page++) {
          const result = await store.listClusters(
            {
              selector,
              names: clusterNames.length ? clusterNames : undefined,
              limit: 500,
              sort: 'name',
              cursor,
            },
            filter,
          );
          const seen = new Set(clusters.map(c => c.id));
          clusters.push(...result.items.filter(c => !seen.has(c.id)));
          cursor = result.nextCursor;
          if (!cursor) break;
        }
        res.json({ clusters, environments });
      },
    );
  });

  /**
   * Internal, service-to-service only: how to connect to clusters, with
   * credentials, for the Kubernetes plugin. Trust model: Backstage service
   * tokens are signed per plugin and verified by httpAuth, so `subject`
   * (`plugin:kubernetes`) is authentic; only the plugin ids listed in
   * `multicluster.connections.allowedPlugins` get an answer. Users never do,
   * whatever their permissions, and every read is audited.
   */
  router.get('/internal/connections', async (req, res) => {
    rejectQuery(req.query as Record<string, unknown>, ['ids']);
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const subject = credentials.principal.subject;
    const caller = subject.startsWith('plugin:')
      ? subject.slice('plugin:'.length)
      : undefined;
    if (!caller || !options.connectionCallers.includes(caller)) {
      throw new NotAllowedError(
        `Connection details are only served to the plugins in multicluster.connections.allowedPlugins`,
      );
    }
    const idsParam = req.query.ids;
    if (typeof idsParam !== 'string' || idsParam.trim() === '') {
      throw new InputError(
        'Invalid query parameter ids: a comma-separated list of 1 to 500 cluster ids is required',
      );
    }
    const ids = [
      ...new Set(
        idsParam
          .split(',')
          .map(s => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.length > 500) {
      throw new InputError(
        'Invalid query parameter ids: at most 500 cluster ids per request',
      );
    }
    ids.forEach(parseClusterId);
    await audited(
      req,
      'cluster-connection-read',
      { caller, count: String(ids.length) },
      async () => {
        const items: ConnectionDetails[] = [];
        const targets = await store.listProbeTargets(ids);
        for (const cluster of targets) {
          const id = cluster.id;
          const connection = await options.connectionFor(cluster.urlKey);
          const base = {
            id,
            name: cluster.name,
            url: cluster.url,
            skipTLSVerify: connection?.skipTLSVerify ?? false,
            health: cluster.health,
            ...(connection?.caData
              ? { caData: Buffer.from(connection.caData).toString('base64') }
              : {}),
          };
          if (!connection) {
            items.push({
              ...base,
              authProvider: 'serviceAccount',
              unsupported: 'no provider currently offers a connection',
            });
            continue;
          }
          if (connection.kubernetesPluginAuth) {
            items.push({
              ...base,
              authProvider: connection.kubernetesPluginAuth.authProvider,
              ...(connection.kubernetesPluginAuth.metadata
                ? { authMetadata: connection.kubernetesPluginAuth.metadata }
                : {}),
            });
            continue;
          }
          try {
            const creds = await connection.credentials();
            if (creds.type === 'bearer') {
              items.push({
                ...base,
                authProvider: 'serviceAccount',
                serviceAccountToken: creds.token,
              });
            } else if (creds.type === 'anonymous') {
              items.push({ ...base, authProvider: 'serviceAccount' });
            } else {
              items.push({
                ...base,
                authProvider: 'serviceAccount',
                unsupported:
                  'client-certificate credentials cannot be handed to the Kubernetes plugin',
              });
            }
          } catch (error) {
            items.push({
              ...base,
              authProvider: 'serviceAccount',
              unsupported: `credentials unavailable: ${redactText(
                String((error as Error).message),
              ).slice(0, 200)}`,
            });
          }
        }
        res.setHeader('Cache-Control', 'no-store');
        res.json({ items });
      },
      'medium',
    );
  });

  return router;
}
