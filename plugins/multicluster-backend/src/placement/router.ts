/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  type Cluster,
  type PlacementPreviewRequest,
  multiclusterClusterReadPermission,
  parseInput,
  placementPreviewRequestSchema,
} from '@archipelago/multicluster-common';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  type ConditionTransformer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import express from 'express';
import Router from 'express-promise-router';
import type {
  ClusterAccessFilter,
  ClusterLabelCondition,
  InventoryStore,
} from '../inventory/InventoryStore';
import { multiclusterClusterRules } from '../permissions/rules';
import { previewPlacement } from './preview';

/** Pages of 500 read for one preview: at most 10,000 visible clusters. */
const PAGE_SIZE = 500;
const MAX_PAGES = 20;

export interface PlacementRouterOptions {
  /** Read only: the preview never writes and never contacts a cluster. */
  store: Pick<InventoryStore, 'listClusters'>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /**
   * Turns a conditional `multicluster.cluster.read` decision into a store
   * filter. Pass the plugin's transformer (built from the permissions
   * registry) so custom rules apply; defaults to the built-in rules.
   */
  transformConditions?: ConditionTransformer<ClusterLabelCondition>;
  /** When given, each preview is audited like the other cluster reads. */
  auditor?: AuditorService;
}

/**
 * `POST /placements/preview`: a placement plus replica preferences → the
 * chosen clusters with their replicas, the left-out ones with the reason, and
 * the overflow. Reads the stored inventory only, as the caller may see it
 * (`multicluster.cluster.read`, conditions included), so a preview never
 * names a cluster the caller cannot read.
 */
export function createPlacementRouter(
  options: PlacementRouterOptions,
): express.Router {
  const { store, httpAuth, permissions, auditor } = options;
  const transform =
    options.transformConditions ??
    createConditionTransformer(Object.values(multiclusterClusterRules));
  const router = Router();
  const json = express.json({ limit: '100kb' });

  router.post('/placements/preview', async (req, res) => {
    if (Object.keys(req.query).length > 0) {
      throw new InputError(
        'Unknown query parameter; POST /placements/preview takes none (send the request as JSON body)',
      );
    }
    if (!req.is('application/json')) {
      throw new InputError(
        'Invalid request: the body must be JSON (Content-Type: application/json)',
      );
    }
    // A body already parsed by another router is kept; otherwise parse here, with a 400 for bad JSON.
    await new Promise<void>((resolve, reject) =>
      json(req, res, error =>
        error
          ? reject(
              new InputError(
                (error as { type?: string }).type === 'entity.too.large'
                  ? 'Invalid request body: larger than 100kb'
                  : 'Invalid request body: not valid JSON',
              ),
            )
          : resolve(),
      ),
    );
    const request: PlacementPreviewRequest = parseInput(
      placementPreviewRequestSchema,
      req.body,
      'request body',
    );

    const run = async () => {
      const credentials = await httpAuth.credentials(req);
      const [decision] = await permissions.authorizeConditional(
        [{ permission: multiclusterClusterReadPermission }],
        {
          credentials,
        },
      );
      if (decision.result === AuthorizeResult.DENY) {
        throw new NotAllowedError(
          'You are not allowed to read clusters (multicluster.cluster.read)',
        );
      }
      const filter: ClusterAccessFilter =
        decision.result === AuthorizeResult.CONDITIONAL
          ? transform(decision.conditions)
          : undefined;
      const clusters = await readClusters(store, request, filter);
      res.setHeader('Cache-Control', 'no-store');
      res.json(previewPlacement(request, clusters));
    };

    if (!auditor) {
      await run();
      return;
    }
    const event = await auditor.createEvent({
      eventId: 'placement-preview',
      request: req,
      severityLevel: 'low',
      meta: {
        replicas: request.replicas
          ? String(request.replicas.totalReplicas)
          : 'none',
      },
    });
    try {
      await run();
      await event.success();
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  return router;
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
