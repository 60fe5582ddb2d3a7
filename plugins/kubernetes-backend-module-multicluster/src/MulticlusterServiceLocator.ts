/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ClusterDetails,
  KubernetesServiceLocator,
  ServiceLocatorRequestContext,
} from '@backstage/plugin-kubernetes-node';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  type ClusterHealth,
} from '@archipelago/multicluster-common';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import { chooseEntityClusters } from './chooseEntityClusters';
import type { MulticlusterClusterSupplier } from './MulticlusterClusterSupplier';

/** Options of the locator, from `kubernetes.multicluster.serviceLocator`. @public */
export interface MulticlusterServiceLocatorOptions {
  /** Inventory cluster healths handed over. */
  healths: readonly ClusterHealth[];
  /** How long the multicluster plugin may take to relate an entity. */
  timeoutMs: number;
}

/**
 * A Kubernetes service locator that hands the Kubernetes plugin only an
 * entity's own clusters (see `chooseEntityClusters`), instead of every cluster
 * the caller may see as `multiTenant` does: one tab asks 3 clusters, not
 * 10,000. The entity's relations are read from the multicluster plugin on the
 * caller's behalf, so its permission policy applies; when they cannot be read
 * the entity gets no cluster (logged), never an error page for everyone.
 * @public
 */
export class MulticlusterServiceLocator implements KubernetesServiceLocator {
  constructor(
    private readonly deps: {
      multicluster: MulticlusterService;
      supplier: MulticlusterClusterSupplier;
      logger: LoggerService;
    },
    private readonly options: MulticlusterServiceLocatorOptions,
  ) {}

  /** The clusters of `entity` the caller may see, by the module's rules. */
  async getClustersByEntity(
    entity: Entity,
    requestContext: ServiceLocatorRequestContext,
  ): Promise<{ clusters: ClusterDetails[] }> {
    const { credentials } = requestContext;
    const ref = {
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    };
    const relations = await this.deps.multicluster
      .getEntityRelations(ref, {
        credentials,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      })
      .catch(error => {
        this.deps.logger.warn(
          `No clusters for ${ref.kind}:${ref.namespace}/${ref.name}: the multicluster plugin could not relate it: ${error}`,
        );
        return { clusters: [], environments: [], workloads: [] };
      });
    // Only the entity's own clusters are looked up, never the whole inventory.
    const visible = await this.deps.supplier.getClustersByIds({
      credentials,
      known: relations.clusters,
      ids: [
        ...relations.clusters.map(c => c.id),
        ...(relations.workloads ?? []).flatMap(w =>
          (w.status?.clusters ?? []).map(p => p.cluster),
        ),
      ],
    });
    const kubernetesClusterNames = (
      entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER] ?? ''
    )
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
    const { clusters, leftOut } = chooseEntityClusters({
      relations,
      kubernetesClusterNames,
      visible,
      healths: this.options.healths,
    });
    if (leftOut.length) {
      this.deps.logger.debug(
        `Clusters of ${ref.kind}:${ref.namespace}/${
          ref.name
        } left out: ${leftOut
          .map(l => `${l.cluster} (${l.reason})`)
          .join(', ')}`,
      );
    }
    return { clusters };
  }
}
