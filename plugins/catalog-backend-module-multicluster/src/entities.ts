/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type Cluster,
  type Environment,
  teamRefOf,
} from '@archipelago/multicluster-common';
import type { Entity } from '@backstage/catalog-model';

/** @internal */
export const ANNOTATION_API_SERVER = 'kubernetes.io/api-server';
/** @internal */
export const ANNOTATION_CLUSTER_ID = 'archipelago.dev/cluster-id';
/** @internal */
export const ANNOTATION_ENVIRONMENT = 'archipelago.dev/environment';
/** @internal */
export const ANNOTATION_MANAGED_BY_LOCATION =
  'backstage.io/managed-by-location';
/** @internal */
export const ANNOTATION_MANAGED_BY_ORIGIN_LOCATION =
  'backstage.io/managed-by-origin-location';

/** How clusters and environments become catalog entities. @public */
export interface ClusterEntityOptions {
  /** Owner entity ref when a cluster has no `owner` label. */
  defaultOwner: string;
  /** The cluster label naming the owning team (default `team`). */
  teamLabel?: string;
  /** Catalog namespace of the entities. */
  namespace: string;
  /** System entity ref the entities are part of, if any. */
  system?: string;
  /** Identifies this provider in location annotations. */
  providerName: string;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A label key Backstage accepts (Kubernetes syntax), or undefined to drop it. @public */
export function sanitiseLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return undefined;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !LABEL_PREFIX.test(prefix))
  )
    return undefined;
  return LABEL_NAME.test(name) ? key : undefined;
}

/** A label value Backstage accepts: invalid characters become `-`, at most 63, alphanumeric ends. @public */
export function sanitiseLabelValue(value: string): string | undefined {
  const cleaned = value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned || undefined;
}

/** A cluster's labels as Backstage accepts them: keys and values sanitised, invalid ones dropped. @public */
export function sanitiseLabels(
  labels: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const key = sanitiseLabelKey(k);
    const value = sanitiseLabelValue(v);
    if (key && value) out[key] = value;
  }
  return out;
}

/**
 * The owner: the environment's owner for a cluster an environment created;
 * else the team its labels name, namespace included (`team: payments` is
 * `group:default/payments`; see `teamRefOf`); else an `owner` label; else the
 * configured default. Catalog permission rules (`IS_ENTITY_OWNER`) can then
 * scope cluster entities as the multicluster policy scopes clusters.
 * @public
 */
export function ownerOf(
  cluster: Cluster,
  options: {
    defaultOwner: string;
    teamLabel?: string;
    environmentOwner?: string;
  },
): string {
  if (options.environmentOwner) return options.environmentOwner;
  const team = teamRefOf(cluster.labels, { teamLabel: options.teamLabel });
  if (team) return team;
  const label = cluster.labels.owner?.trim();
  return label ? label : options.defaultOwner;
}

/**
 * A cluster as a catalog `Resource` of type `kubernetes-cluster`. The entity
 * name is the cluster id (unique and already a valid entity name); the
 * cluster's name is the title. No credential, CA or status goes in: the
 * entity changes only when the cluster's identity or labels do.
 * @public
 */
export function clusterToEntity(
  cluster: Cluster,
  options: ClusterEntityOptions & {
    /** The owner of the environment that created the cluster, if any. */
    environmentOwner?: string;
  },
): Entity {
  const location = `${options.providerName}:cluster/${cluster.id}`;
  const description = [
    cluster.distribution !== 'unknown' ? cluster.distribution : 'Kubernetes',
    'cluster',
    cluster.region
      ? `in ${cluster.cloud} ${cluster.region}`
      : `on ${cluster.cloud}`,
    `(${cluster.sources.map(s => s.provider).join(', ')})`,
  ].join(' ');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: cluster.id,
      namespace: options.namespace,
      title:
        cluster.title === cluster.name
          ? cluster.name
          : `${cluster.title} (${cluster.name})`,
      description,
      labels: sanitiseLabels(cluster.labels),
      annotations: {
        [ANNOTATION_API_SERVER]: cluster.url,
        [ANNOTATION_CLUSTER_ID]: cluster.id,
        [ANNOTATION_MANAGED_BY_LOCATION]: location,
        [ANNOTATION_MANAGED_BY_ORIGIN_LOCATION]: location,
      },
      tags: [cluster.cloud, cluster.distribution]
        .map(t =>
          t
            .toLowerCase()
            .replace(/[^a-z0-9+#-]+/g, '-')
            .replace(/^-+|-+$/g, ''),
        )
        .filter(t => t && t !== 'unknown' && t.length <= 63),
    },
    spec: {
      type: 'kubernetes-cluster',
      owner: ownerOf(cluster, options),
      ...(options.system ? { system: options.system } : {}),
    },
  };
}

/**
 * An environment as a catalog `Resource` of type `environment`, owned by the
 * environment's owner and depending on the cluster it created. Only identity
 * goes in: no capabilities (they may be secret references) and no status, so
 * the entity does not churn while it provisions.
 * @internal
 */
export function environmentToEntity(
  environment: Environment,
  options: ClusterEntityOptions,
): Entity {
  const location = `${options.providerName}:environment/${environment.name}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: environment.name,
      namespace: options.namespace,
      description: `${environment.type} environment on ${environment.cloud}`,
      annotations: {
        [ANNOTATION_ENVIRONMENT]: environment.name,
        [ANNOTATION_MANAGED_BY_LOCATION]: location,
        [ANNOTATION_MANAGED_BY_ORIGIN_LOCATION]: location,
      },
      tags: ['environment', environment.type, environment.cloud]
        .map(t => t.toLowerCase().replace(/[^a-z0-9+#-]+/g, '-'))
        .filter(t => t.length > 0 && t.length <= 63),
    },
    spec: {
      type: 'environment',
      owner: environment.owner || options.defaultOwner,
      ...(options.system ? { system: options.system } : {}),
      ...(environment.clusterId
        ? {
            dependsOn: [
              `resource:${options.namespace}/${environment.clusterId}`,
            ],
          }
        : {}),
    },
  };
}
