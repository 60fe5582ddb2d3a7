/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_CLUSTER_SELECTOR,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_WORKLOAD,
  workloadAnnotationNames,
  type Cluster,
  type Environment,
  type LabelSelector,
  multiclusterClusterReadPermission,
  multiclusterClusterRefreshPermission,
  parseBoundedSelector,
} from '@archipelago/multicluster-common';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type express from 'express';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { hashOf } from '../inventory/cursor';
import type {
  ClusterAccessFilter,
  ClusterListQuery,
} from '../inventory/InventoryStore';
import { clusterListQuery, entityClusterLimit } from './queryParams';
import { refreshAnswer } from './refreshAnswer';
import type { MulticlusterRouter, RouteContext, RouterOptions } from './router';

/**
 * Above this many matching clusters the selector goes to the store as SQL
 * (SQLite and PostgreSQL bound the parameters of one statement).
 */
const MAX_NAMES_PER_QUERY = 30000;

/**
 * The cluster routes: list, one, health, summary, refresh and entity
 * relations (the internal connections endpoint is in connectionRoutes.ts).
 * Every handler reads stored state: no request waits on a cluster.
 * @internal
 */
export function addClusterRoutes(
  router: MulticlusterRouter,
  context: RouteContext,
  options: RouterOptions,
): void {
  const { store, httpAuth, permissions } = options;
  const { audited, labelIndex } = context;

  /** The caller's view: everything, a label filter, or nothing (403). */
  async function accessFor(
    credentials: BackstageCredentials,
  ): Promise<ClusterAccessFilter> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: multiclusterClusterReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        'You are not allowed to read clusters (multicluster.cluster.read)',
      );
    }
    return decision.result === AuthorizeResult.CONDITIONAL
      ? options.transformConditions(decision.conditions)
      : undefined;
  }

  /**
   * A page of clusters. A selector is matched by the label index (in chunks,
   * one evaluation at a time) and handed to the store as names, so no
   * selector ever becomes one long synchronous SQL statement.
   */
  async function listClusters(
    query: ClusterListQuery,
    filter: ClusterAccessFilter,
  ) {
    if (!query.selector) return store.listClusters(query, filter);
    const selector = query.selector;
    return labelIndex.heavy(async () => {
      const matched = await labelIndex.matchingNames(selector);
      const names = [...new Set([...(query.names ?? []), ...matched])];
      await yieldToEventLoop();
      if (names.length === 0) return { items: [], totalItems: 0 };
      if (names.length > MAX_NAMES_PER_QUERY) {
        return store.listClusters(query, filter);
      }
      return store.listClusters(
        { ...query, selector: undefined, names },
        filter,
      );
    });
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

  router.get('/clusters', async (req, res) => {
    const query = clusterListQuery(req.query, context.limits);
    await audited(req, 'cluster-read', { queryType: 'list' }, async () => {
      const filter = await accessFor(await httpAuth.credentials(req));
      if (await notModified(req, res, filter)) return;
      res.json(await listClusters(query, filter));
    });
  });

  router.post('/clusters/refresh', async (req, res) => {
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
        const outcome = (await options.refresh()) ?? {
          discovery: 'scheduled',
          probe: 'scheduled',
        };
        res.status(202).json(refreshAnswer(outcome));
      },
      'medium',
    );
  });

  router.get('/clusters/:id', async (req, res) => {
    const { id } = req.params;
    await audited(
      req,
      'cluster-read',
      { queryType: 'by-id', clusterId: id },
      async () => {
        const filter = await accessFor(await httpAuth.credentials(req));
        const cluster = await store.getCluster(id, filter);
        if (!cluster) throw new NotFoundError(`No cluster with id ${id}`);
        res.json(cluster);
      },
    );
  });

  router.get('/clusters/:id/health', async (req, res) => {
    const { id } = req.params;
    await audited(
      req,
      'cluster-read',
      { queryType: 'health', clusterId: id },
      async () => {
        const filter = await accessFor(await httpAuth.credentials(req));
        const cluster = await store.getCluster(id, filter);
        if (!cluster) throw new NotFoundError(`No cluster with id ${id}`);
        if (await notModified(req, res, filter)) return;
        const history = await store.getHealthHistory(id, options.historyLimit);
        res.json({ current: cluster.status, history });
      },
    );
  });

  router.get('/summary', async (req, res) => {
    await audited(req, 'cluster-read', { queryType: 'summary' }, async () => {
      const filter = await accessFor(await httpAuth.credentials(req));
      if (await notModified(req, res, filter)) return;
      res.json(await store.summary(filter));
    });
  });

  /**
   * One page of an entity's clusters, worst health first, with counts by
   * health over all of them; `fixed` (its environment's cluster) comes first.
   */
  async function entityClusterPage<R extends object>(
    match: { selector?: LabelSelector; names: string[]; limit: number },
    fixed: Cluster[],
    filter: ClusterAccessFilter,
    rest: R,
  ) {
    const names = match.names.length ? match.names : undefined;
    const page =
      match.selector || names
        ? await listClusters(
            {
              selector: match.selector,
              names,
              limit: match.limit,
              sort: 'health',
              order: 'desc',
            },
            filter,
          )
        : { items: [] as Cluster[] };
    const fixedIds = fixed.map(c => c.id);
    const clusterCounts = await store.countByHealth(
      { selector: match.selector, names, ids: fixedIds },
      filter,
    );
    const seen = new Set(fixedIds);
    const clusters = [
      ...fixed,
      ...page.items.filter(c => !seen.has(c.id)),
    ].slice(0, Math.max(match.limit, fixed.length));
    return { clusters, clusterCounts, ...rest };
  }

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const { kind, namespace, name } = req.params;
    const entityRef = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    await audited(
      req,
      'cluster-read',
      { queryType: 'by-entity', entityRef },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const filter = await accessFor(credentials);
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
          .filter(Boolean)
          .slice(0, 1000);
        let selector: LabelSelector | undefined;
        if (selectorText !== undefined && selectorText.trim() !== '') {
          try {
            selector = parseBoundedSelector(
              selectorText,
              context.limits,
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
          const environment = await options.environmentFor(
            environmentName,
            credentials,
          );
          if (environment) {
            environments.push(environment);
            const cluster = environment.clusterId
              ? await store.getCluster(environment.clusterId, filter)
              : undefined;
            if (cluster) clusters.push(cluster);
          }
        }
        // Workloads: those naming the entity as theirs, and those its annotation lists.
        const workloads = options.workloadsFor
          ? await options.workloadsFor(
              credentials,
              entityRef,
              workloadAnnotationNames(annotations[ANNOTATION_WORKLOAD]),
            )
          : undefined;
        const related = workloads ? { workloads } : {};
        const clusterLimit = entityClusterLimit(req.query.clusterLimit);
        if (clusterLimit !== undefined) {
          // A card's view: the worst `clusterLimit` clusters and counts from the database.
          res.json(
            await entityClusterPage(
              { selector, names: clusterNames, limit: clusterLimit },
              clusters,
              filter,
              { environments, ...related },
            ),
          );
          return;
        }
        if (!selector && clusterNames.length === 0) {
          res.json({ clusters, environments, ...related });
          return;
        }
        let cursor: string | undefined;
        // Bounded: at most 20 pages of 500 (10,000 clusters) for one entity.
        for (let page = 0; page < 20; page++) {
          const result = await listClusters(
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
        res.json({ clusters, environments, ...related });
      },
    );
  });
}
