/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { KubeApiError, type KubeClient } from './KubeClient';
import { describeManifest, hasReadiness, type Manifest } from './manifests';
import { hasSecretDataRemoved, isSecret } from './redact';

/** One object as it was on a cluster before the deployment touched it. @public */
export type ObjectSnapshot = {
  apiVersion: string;
  kind: string;
  name: string;
  /** Set for namespaced objects. */
  namespace?: string;
  existed: boolean;
  /** The object to restore (server-owned fields removed); set when it existed. */
  previous?: Record<string, any>;
};

/** What a cluster had, captured right before applying; in apply order. @public */
export type ClusterSnapshot = {
  /** The namespace the action creates when missing, and whether it existed. */
  namespace?: { name: string; existed: boolean };
  objects: ObjectSnapshot[];
};

/** Metadata worth restoring; the rest is the server's. */
const RESTORED_METADATA = [
  'name',
  'namespace',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
];

/** An object as it can be written back with PUT or POST: no status, no server-owned metadata. @public */
export function restorable(live: Record<string, any>): Record<string, unknown> {
  const { status: _status, metadata = {}, ...rest } = live;
  const kept: Record<string, unknown> = {};
  for (const field of RESTORED_METADATA)
    if (metadata[field] !== undefined) kept[field] = metadata[field];
  return { ...rest, metadata: kept };
}

function objectNamespace(
  manifest: Manifest,
  namespaced: boolean,
  namespace: string,
): string | undefined {
  return namespaced ? manifest.metadata.namespace ?? namespace : undefined;
}

/** The namespace the action must make sure of: the deployment's, unless the manifests declare it. @public */
export function namespaceToEnsure(
  manifests: Manifest[],
  namespace: string,
): string | undefined {
  const declared = manifests.some(
    m =>
      m.apiVersion === 'v1' &&
      m.kind === 'Namespace' &&
      m.metadata.name === namespace,
  );
  return declared ? undefined : namespace;
}

/**
 * Reads every object the deployment will write, so a rollback can put back
 * exactly what was there (and remove what was not).
 * @public
 */
export async function captureCluster(
  client: KubeClient,
  manifests: Manifest[],
  namespace: string,
): Promise<ClusterSnapshot> {
  const snapshot: ClusterSnapshot = { objects: [] };
  let anyNamespaced = false;
  for (const manifest of manifests) {
    const { path, namespaced } = await client.path(
      manifest.apiVersion,
      manifest.kind,
      namespace,
      manifest.metadata.name,
    );
    anyNamespaced ||= namespaced;
    const live = await client.get<Record<string, any>>(path);
    snapshot.objects.push({
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      name: manifest.metadata.name,
      ...(namespaced
        ? { namespace: objectNamespace(manifest, namespaced, namespace) }
        : {}),
      existed: live !== undefined,
      ...(live ? { previous: restorable(live) } : {}),
    });
  }
  const ensure = anyNamespaced
    ? namespaceToEnsure(manifests, namespace)
    : undefined;
  if (ensure) {
    const live = await client.get(
      `/api/v1/namespaces/${encodeURIComponent(ensure)}`,
    );
    snapshot.namespace = { name: ensure, existed: live !== undefined };
  }
  return snapshot;
}

/** The API server refused an object in a server-side dry run: applying it would fail the same way. @public */
export class DryRunRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DryRunRejection';
  }
}

/**
 * Server-side applies every object with `dryRun=All`: admission, validation,
 * RBAC and field conflicts are checked and nothing is stored, so a manifest the
 * cluster would refuse fails the cluster before anything is touched. Objects in
 * a namespace that does not exist yet cannot be checked and are let through.
 * Throws DryRunRejection for a refusal, KubeApiError when the cluster does not answer.
 * @public
 */
export async function dryRunApply(
  client: KubeClient,
  manifests: Manifest[],
  options: { namespace: string; fieldManager: string },
): Promise<void> {
  for (const manifest of manifests) {
    const what = describeManifest(manifest, options.namespace);
    let target: { path: string; namespaced: boolean };
    try {
      target = await client.path(
        manifest.apiVersion,
        manifest.kind,
        options.namespace,
        manifest.metadata.name,
      );
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404)
        throw new DryRunRejection(`${what}: ${error.message}`);
      throw error;
    }
    const { namespace: _ns, ...metadata } = manifest.metadata;
    const ns = objectNamespace(manifest, target.namespaced, options.namespace);
    try {
      await client.request('PATCH', target.path, {
        body: {
          ...manifest,
          metadata: { ...metadata, ...(ns ? { namespace: ns } : {}) },
        },
        contentType: 'application/apply-patch+yaml',
        query: {
          fieldManager: options.fieldManager,
          force: 'true',
          dryRun: 'All',
        },
      });
    } catch (error) {
      if (
        !(error instanceof KubeApiError) ||
        error.status === undefined ||
        error.status === 401 ||
        error.status >= 500
      )
        throw error;
      const missingNamespace =
        ns !== undefined &&
        error.status === 404 &&
        error.message.includes(`namespaces "${ns}" not found`);
      if (!missingNamespace)
        throw new DryRunRejection(`${what}: ${error.message}`);
    }
  }
}

/** Progress of an apply, kept up to date so a failure still tells what was touched. @public */
export interface ApplyProgress {
  /** Whether the apply created the namespace (so a rollback may delete it). */
  namespaceCreated: boolean;
  /** Objects applied, in order. */
  applied: number;
  /** Generation each applied workload got, by manifest index. */
  generations: Map<number, number>;
  /** REST path of each applied object, by manifest index. */
  paths: Map<number, string>;
}

/**
 * Creates the namespace when missing, then server-side applies every object
 * (PATCH application/apply-patch+yaml, `force` so this field manager takes
 * over fields others set: the deployment is the source of truth).
 * @public
 */
export async function applyCluster(
  client: KubeClient,
  manifests: Manifest[],
  options: {
    namespace: string;
    fieldManager: string;
    ensureNamespace?: string;
    progress: ApplyProgress;
    timeoutMs: () => number;
  },
): Promise<void> {
  const { namespace, fieldManager, progress } = options;
  if (options.ensureNamespace) {
    const nsPath = `/api/v1/namespaces/${encodeURIComponent(
      options.ensureNamespace,
    )}`;
    if (!(await client.get(nsPath, { timeoutMs: options.timeoutMs() }))) {
      try {
        await client.request('POST', '/api/v1/namespaces', {
          body: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: options.ensureNamespace },
          },
          query: { fieldManager },
          timeoutMs: options.timeoutMs(),
        });
        progress.namespaceCreated = true;
      } catch (error) {
        // Created meanwhile by someone else: fine, and not ours to delete.
        if (!(error instanceof KubeApiError && error.status === 409))
          throw error;
      }
    }
  }
  for (let i = 0; i < manifests.length; i++) {
    const manifest = manifests[i];
    const { path, namespaced } = await client.path(
      manifest.apiVersion,
      manifest.kind,
      namespace,
      manifest.metadata.name,
    );
    const { namespace: _ns, ...metadata } = manifest.metadata;
    const ns = objectNamespace(manifest, namespaced, namespace);
    const body = {
      ...manifest,
      metadata: { ...metadata, ...(ns ? { namespace: ns } : {}) },
    };
    // Counted before the call: a timeout may still have written the object.
    progress.applied = i + 1;
    progress.paths.set(i, path);
    const result = await client.request<Record<string, any>>('PATCH', path, {
      body,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager, force: 'true' },
      timeoutMs: options.timeoutMs(),
    });
    if (
      hasReadiness(manifest) &&
      typeof result?.metadata?.generation === 'number'
    ) {
      progress.generations.set(i, result.metadata.generation);
    }
  }
}

/**
 * Puts a cluster back as the snapshot found it, in reverse apply order:
 * objects that existed are written back (PUT, retried on a conflict; created
 * again if gone), objects that did not are deleted, and a namespace the
 * deployment created is deleted last. Only the first `applied` objects are
 * touched. Never throws for one object: returns what could not be restored.
 * @public
 */
export async function rollbackCluster(
  client: KubeClient,
  snapshot: ClusterSnapshot,
  options: {
    applied: number;
    namespaceCreated: boolean;
    requestTimeoutMs: number;
  },
): Promise<string[]> {
  const problems: string[] = [];
  const touched = snapshot.objects.slice(0, options.applied).reverse();
  for (const object of touched) {
    const what = describeManifest({
      kind: object.kind,
      metadata: { name: object.name, namespace: object.namespace },
    });
    try {
      const { path } = await client.path(
        object.apiVersion,
        object.kind,
        object.namespace,
        object.name,
      );
      if (!object.existed) {
        await deleteObject(client, path, options.requestTimeoutMs);
        continue;
      }
      const previous = object.previous!;
      if (hasSecretDataRemoved(previous)) {
        // Only the redacted form survived a task restart: restoring it would wipe the Secret.
        problems.push(
          `${what} was left as deployed: its previous data is never stored, so it cannot be restored after a task restart`,
        );
        continue;
      }
      await restoreObject(client, path, previous, options.requestTimeoutMs);
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  }
  if (
    snapshot.namespace &&
    !snapshot.namespace.existed &&
    options.namespaceCreated
  ) {
    try {
      await deleteObject(
        client,
        `/api/v1/namespaces/${encodeURIComponent(snapshot.namespace.name)}`,
        options.requestTimeoutMs,
      );
    } catch (error) {
      // The deploy identity may create namespaces but, like Kubernetes' edit
      // role, not delete them: the namespace is left empty, which is harmless.
      if (!(error instanceof KubeApiError && error.status === 403)) {
        problems.push(
          `Namespace ${snapshot.namespace.name}: ${(error as Error).message}`,
        );
      }
    }
  }
  return problems;
}

async function deleteObject(
  client: KubeClient,
  path: string,
  timeoutMs: number,
): Promise<void> {
  try {
    await client.request('DELETE', path, {
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: 'Background',
      },
      timeoutMs,
    });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  }
}

async function restoreObject(
  client: KubeClient,
  path: string,
  previous: Record<string, any>,
  timeoutMs: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const live = await client.get<Record<string, any>>(path, { timeoutMs });
    try {
      if (!live) {
        const collection = path.slice(0, path.lastIndexOf('/'));
        await client.request('POST', collection, { body: previous, timeoutMs });
      } else {
        await client.request('PUT', path, {
          body: {
            ...previous,
            metadata: {
              ...previous.metadata,
              resourceVersion: live.metadata?.resourceVersion,
            },
          },
          timeoutMs,
        });
      }
      return;
    } catch (error) {
      // Someone wrote in between: read again and retry, a few times.
      if (
        !(
          error instanceof KubeApiError &&
          (error.status === 409 || error.status === 404)
        ) ||
        attempt >= 3
      )
        throw error;
    }
  }
}

/** Secrets read back from a cluster, for the redactor: their old values must not leak either. @public */
export function capturedSecrets(snapshot: ClusterSnapshot): unknown[] {
  return snapshot.objects
    .filter(o => o.previous && isSecret(o.previous))
    .map(o => o.previous);
}
