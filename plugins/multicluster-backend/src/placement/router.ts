/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  type Cluster,
  type PlacementPreviewRequest,
  multiclusterClusterReadPermission,
  parseBoundedSelector,
  parseInput,
  placementPreviewRequestSchema,
} from '@archipelago/multicluster-common';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ConditionTransformer } from '@backstage/plugin-permission-node';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type {
  ClusterAccessFilter,
  ClusterLabelCondition,
  InventoryStore,
} from '../inventory/InventoryStore';
import type { MulticlusterRouter, RouteContext } from '../service/router';
import { previewPlacement } from './preview';

/** Pages of 500 read for one preview: at most 10,000 visible clusters. */
const PAGE_SIZE = 500;
const MAX_PAGES = 20;

/** What the preview route needs. @internal */
export interface PlacementRouterOptions {
  /** Read only: the preview never writes and never contacts a cluster. */
  store: Pick<InventoryStore, 'listClusters'>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Turns a conditional `multicluster.cluster.read` decision into a store filter. */
  transformConditions: ConditionTransformer<ClusterLabelCondition>;
}

/**
 * `POST /placements/preview`: a placement plus replica preferences → the
 * chosen clusters with their replicas, the excluded ones with the reason, and
 * the overflow. Reads the stored inventory only, as the caller may see it
 * (`multicluster.cluster.read`, conditions included), so a preview never
 * names a cluster the caller cannot read. The body was validated against
 * openapi.yaml; the selector is bounded by `multicluster.limits`.
 * @internal
 */
export function addPlacementRoutes(
  router: MulticlusterRouter,
  context: Pick<RouteContext, 'audited' | 'limits' | 'labelIndex'>,
  options: PlacementRouterOptions,
): void {
  const { store, httpAuth, permissions } = options;

  router.post('/placements/preview', async (req, res) => {
    const request: PlacementPreviewRequest = parseInput(
      placementPreviewRequestSchema,
      req.body,
      'request body',
    );
    const selector = request.placement.clusterSelector;
    if (selector !== undefined) {
      parseBoundedSelector(
        selector,
        context.limits,
        'placement.clusterSelector',
      );
    }
    await context.audited(
      req,
      'placement-preview',
      {
        replicas: request.replicas
          ? String(request.replicas.totalReplicas)
          : 'none',
      },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const [decision] = await permissions.authorizeConditional(
          [{ permission: multiclusterClusterReadPermission }],
          { credentials },
        );
        if (decision.result === AuthorizeResult.DENY) {
          throw new NotAllowedError(
            'You are not allowed to read clusters (multicluster.cluster.read)',
          );
        }
        const filter: ClusterAccessFilter =
          decision.result === AuthorizeResult.CONDITIONAL
            ? options.transformConditions(decision.conditions)
            : undefined;
        // Reading and matching up to 10,000 clusters is heavy work: one at a time.
        const preview = await context.labelIndex.heavy(async () => {
          const clusters = await readClusters(store, request, filter);
          await yieldToEventLoop();
          return previewPlacement(request, clusters);
        });
        res.setHeader('Cache-Control', 'no-store');
        res.json(preview);
      },
    );
  });
}

/**
 * The clusters a preview looks at. With `clusterNames` only those are read
 * (the others are trivially left out and listing each would drown the
 * answer); with a selector every visible cluster is read, so the answer says
 * which ones the selector did not match.
 */
async function readClusters(
  store: Pick<InventoryStore, 'listClusters'>,
  request: PlacementPreviewRequest,
  filter: ClusterAccessFilter,
): Promise<Cluster[]> {
  const names = request.placement.clusterNames?.length
    ? [...new Set(request.placement.clusterNames)]
    : undefined;
  const clusters: Cluster[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    if (page > 0) await yieldToEventLoop();
    const result = await store.listClusters(
      { names, limit: PAGE_SIZE, sort: 'name', cursor },
      filter,
    );
    clusters.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) return clusters;
  }
  throw new InputError(
    `The placement looks at more than ${
      PAGE_SIZE * MAX_PAGES
    } clusters; preview with clusterNames to narrow it`,
  );
}
