/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { DEFAULT_NAMESPACE, Entity } from '@backstage/catalog-model';
import type { FilterPredicate } from '@backstage/filter-predicates';
import {
  ANNOTATION_CLUSTER_SELECTOR,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_KUBERNETES_CLUSTER,
  EntityRelationsRequest,
} from '@archipelago/multicluster-common';

function annotation(entity: Entity, name: string): string | undefined {
  const value = entity.metadata.annotations?.[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** The environment an entity names in `archipelago.dev/environment`, if any. */
export function environmentAnnotation(entity: Entity): string | undefined {
  return annotation(entity, ANNOTATION_ENVIRONMENT);
}

/** The label selector an entity carries in `archipelago.dev/cluster-selector`, if any. */
export function clusterSelectorAnnotation(entity: Entity): string | undefined {
  return annotation(entity, ANNOTATION_CLUSTER_SELECTOR);
}

/**
 * True when the entity is tied to clusters: by selector, by cluster name
 * (`backstage.io/kubernetes-cluster`) or through its environment's cluster.
 * The condition for the cluster health card.
 * @public
 */
export function isMulticlusterAvailable(entity: Entity): boolean {
  return [
    ANNOTATION_ENVIRONMENT,
    ANNOTATION_CLUSTER_SELECTOR,
    ANNOTATION_KUBERNETES_CLUSTER,
  ].some(name => annotation(entity, name) !== undefined);
}

/**
 * True when the entity names an environment; the condition for the
 * environment capabilities card.
 * @public
 */
export function isEnvironmentAvailable(entity: Entity): boolean {
  return environmentAnnotation(entity) !== undefined;
}

/** The path parameters of `GET /entities/:kind/:namespace/:name`. */
export function entityRelationsRequest(entity: Entity): EntityRelationsRequest {
  return {
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}

/**
 * The same conditions as filter predicates, for the new frontend system's
 * entity cards (configurable in app-config, unlike functions). Annotation
 * names contain dots; the predicate path lookup matches whole keys first.
 */
export const clusterCardFilter: FilterPredicate = {
  $any: [
    { [`metadata.annotations.${ANNOTATION_ENVIRONMENT}`]: { $exists: true } },
    {
      [`metadata.annotations.${ANNOTATION_CLUSTER_SELECTOR}`]: {
        $exists: true,
      },
    },
    {
      [`metadata.annotations.${ANNOTATION_KUBERNETES_CLUSTER}`]: {
        $exists: true,
      },
    },
  ],
};

export const environmentCardFilter: FilterPredicate = {
  [`metadata.annotations.${ANNOTATION_ENVIRONMENT}`]: { $exists: true },
};
