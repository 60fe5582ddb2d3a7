/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as the deploy action handles it. @public */
export interface Manifest {
  /** e.g. `apps/v1`. */
  apiVersion: string;
  /** e.g. `Deployment`. */
  kind: string;
  /** Name, namespace and the rest of the metadata. */
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  /** The rest of the object (spec, data, ...). */
  [key: string]: unknown;
}

/** The workloads whose replicas the planner divides. @public */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'] as const;

/** The kinds whose readiness is awaited after an apply (`kubectl rollout status`, `kubectl wait --for=condition=complete`). @public */
export const READINESS_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
] as const;

/** Whether an object has a readiness worth waiting for (apps/v1 workloads and batch/v1 Jobs). @public */
export function hasReadiness(
  manifest: Pick<Manifest, 'apiVersion' | 'kind'>,
): boolean {
  if (manifest.apiVersion === 'batch/v1') return manifest.kind === 'Job';
  return (
    manifest.apiVersion === 'apps/v1' &&
    (READINESS_KINDS as readonly string[]).includes(manifest.kind)
  );
}

/** Whether an object is a workload whose replicas are divided (see `WORKLOAD_KINDS`). @public */
export function isWorkload(
  manifest: Pick<Manifest, 'apiVersion' | 'kind'>,
): boolean {
  return (
    manifest.apiVersion === 'apps/v1' &&
    (WORKLOAD_KINDS as readonly string[]).includes(manifest.kind)
  );
}

/**
 * Apply order, as Helm installs: what others depend on first (namespaces,
 * RBAC, Secrets and ConfigMaps before the Pods that mount them). Unknown kinds
 * (custom resources) go last; rollback runs in reverse.
 */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const rank = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
};

/** Server-owned fields: a manifest exported with `kubectl get -o yaml` would make apply fail or conflict. */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'managedFields',
  'generation',
  'selfLink',
  'deletionTimestamp',
];

const API_VERSION =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses YAML text with one or more documents (`---`). Errors give the
 * document, line and column but never the text around them: a manifest may
 * hold a Secret.
 * @public
 */
export function parseManifestText(text: string, source: string): unknown[] {
  const documents = parseAllDocuments(text, {
    prettyErrors: false,
    uniqueKeys: true,
  });
  const list = Array.isArray(documents) ? documents : [documents];
  const out: unknown[] = [];
  list.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      const offset = error.pos?.[0];
      let at = '';
      if (typeof offset === 'number') {
        const before = text.slice(0, offset);
        at = ` at line ${before.split('\n').length}, column ${
          offset - before.lastIndexOf('\n')
        }`;
      }
      throw new InputError(
        `${source}: YAML document ${i + 1} is invalid (${error.code}${at})`,
      );
    }
    // Bounded alias expansion: a "billion laughs" document fails instead of eating memory.
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  });
  return out;
}

/**
 * Checks and normalises the objects to deploy: each is a Kubernetes object
 * with apiVersion, kind and metadata.name; `List` kinds are expanded;
 * server-owned metadata and status are dropped; an explicit namespace must
 * match the action's (as `kubectl apply -n` requires); duplicates are refused.
 * Returns them in apply order. Errors name the document (1-based) and field.
 * @public
 */
export function normaliseManifests(
  objects: unknown[],
  namespace: string,
): Manifest[] {
  const expanded: Array<{ position: string; value: unknown }> = [];
  objects.forEach((value, i) => {
    if (
      isRecord(value) &&
      typeof value.kind === 'string' &&
      value.kind.endsWith('List') &&
      Array.isArray(value.items)
    ) {
      value.items.forEach((item, j) =>
        expanded.push({
          position: `document ${i + 1}, item ${j + 1}`,
          value: item,
        }),
      );
    } else {
      expanded.push({ position: `document ${i + 1}`, value });
    }
  });
  if (expanded.length === 0) {
    throw new InputError(
      'manifests: no Kubernetes object found (the YAML is empty)',
    );
  }

  const seen = new Map<string, string>();
  const workloads = new Map<string, string>();
  const manifests = expanded.map(({ position, value }) => {
    const fail = (problem: string): never => {
      throw new InputError(`manifests ${position}: ${problem}`);
    };
    if (!isRecord(value))
      return fail(
        'must be a Kubernetes object (a mapping with apiVersion, kind and metadata)',
      );
    const { apiVersion, kind, metadata } = value;
    if (typeof apiVersion !== 'string' || !API_VERSION.test(apiVersion)) {
      fail('apiVersion is required, e.g. "v1" or "apps/v1"');
    }
    if (typeof kind !== 'string' || !KIND.test(kind))
      fail('kind is required, e.g. "Deployment"');
    if (!isRecord(metadata)) return fail('metadata is required');
    const name = metadata.name;
    if (
      typeof name !== 'string' ||
      name === '' ||
      name.length > 253 ||
      /[/%]/.test(name) ||
      name === '.' ||
      name === '..'
    ) {
      fail(
        typeof metadata.generateName === 'string'
          ? 'metadata.name is required (generateName cannot be applied: the object must be found again to roll it back)'
          : 'metadata.name is required: at most 253 characters, without "/" or "%"',
      );
    }
    if (metadata.namespace !== undefined) {
      if (
        typeof metadata.namespace !== 'string' ||
        !NAMESPACE.test(metadata.namespace)
      ) {
        fail('metadata.namespace must be a namespace name (a DNS label)');
      }
      if (metadata.namespace !== namespace) {
        fail(
          `metadata.namespace "${metadata.namespace}" does not match the namespace of the deployment, "${namespace}"`,
        );
      }
    }
    const cleanMetadata: Record<string, unknown> = { ...metadata };
    for (const field of SERVER_METADATA) delete cleanMetadata[field];
    const { status: _status, ...rest } = value;
    const manifest = { ...rest, metadata: cleanMetadata } as Manifest;

    const group = (apiVersion as string).includes('/')
      ? (apiVersion as string).split('/')[0]
      : '';
    const identity = `${group}/${kind}/${name}`;
    const previous = seen.get(identity);
    if (previous) fail(`${kind} "${name}" is also defined in ${previous}`);
    seen.set(identity, position);
    if (isWorkload(manifest)) {
      const other = workloads.get(name as string);
      if (other)
        fail(
          `a workload named "${name}" is also defined in ${other}; replicas are planned per namespace/name`,
        );
      workloads.set(name as string, position);
      if (manifest.spec !== undefined && !isRecord(manifest.spec))
        fail('spec must be a mapping');
    }
    return manifest;
  });
  // Stable: documents of one kind keep their order.
  return manifests
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m.kind) - rank(b.m.kind) || a.i - b.i)
    .map(({ m }) => m);
}

/** The planner key of a workload, as KubeFed's: `namespace/name`. @public */
export function workloadKey(manifest: Manifest, namespace: string): string {
  return `${manifest.metadata.namespace ?? namespace}/${
    manifest.metadata.name
  }`;
}

/** `Deployment shop/web`, for people. Never includes content. @public */
export function describeManifest(
  manifest: Pick<Manifest, 'kind' | 'metadata'>,
  namespace?: string,
): string {
  const ns = manifest.metadata.namespace ?? namespace;
  return `${manifest.kind} ${ns ? `${ns}/` : ''}${manifest.metadata.name}`;
}

/** Whether an override's target (`kind`, `name`, both optional) selects a manifest. @public */
export function matchesTarget(
  manifest: Manifest,
  target: { kind?: string; name?: string },
): boolean {
  return (
    (target.kind === undefined || target.kind === manifest.kind) &&
    (target.name === undefined || target.name === manifest.metadata.name)
  );
}
