/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DEFAULT_WORKLOAD_ROLLOUT,
  type ValidWorkloadRequest,
  type Workload,
} from '@archipelago/multicluster-common';
import {
  checkOverrideTargets,
  checkParsedManifests,
  checkRawManifests,
  isSecret,
  LAST_APPLIED,
  type Manifest,
  type ManifestLimits,
  manifestsForCluster,
  normaliseManifests,
  parseManifestText,
  REDACTED,
} from '@archipelago/multicluster-node';
import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { SecretBox } from '../environments/secrets/SecretBox';
import type { WorkloadSpec } from './store/records';

const SECRET_FIELDS = ['data', 'stringData'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reference a Secret value is sealed under (its AES-GCM additional data). */
export function secretValueRef(
  workload: string,
  secret: string,
  field: string,
  key: string,
): string {
  return `multicluster:workload/${workload}/secret/${secret}/${field}/${key}`;
}

/** A revision's desired state, ready to store. */
export interface BuiltSpec {
  spec: WorkloadSpec;
  /** Ciphertexts by reference. */
  secrets: Record<string, string>;
  /** The Secret values in the clear, by reference: compared with the live revision, then dropped. */
  plain: Record<string, string>;
}

/**
 * Turns a validated request into a revision's desired state: manifests
 * bounded by `multicluster.limits` before parsing, parsed, normalised and put
 * in apply order; override targets and patches checked on every named
 * cluster's copy; every Secret value sealed with the plugin's AES-GCM key
 * and replaced by `[REDACTED]`. A value given as `[REDACTED]` (a workload
 * read back and sent again) keeps the previous revision's value. Errors are
 * InputErrors naming the field; none holds a Secret value.
 */
export function buildSpec(
  request: ValidWorkloadRequest,
  options: {
    limits: ManifestLimits;
    box?: SecretBox;
    defaultGraceSeconds: number;
    previous?: { secrets: Record<string, string> };
  },
): BuiltSpec {
  checkRawManifests(request.manifests, options.limits);
  let objects: unknown[];
  if (typeof request.manifests === 'string') {
    objects = parseManifestText(request.manifests, 'manifests');
    checkParsedManifests(objects, options.limits);
  } else {
    objects = request.manifests;
  }
  const manifests = normaliseManifests(objects, request.namespace);
  checkOverrideTargets(manifests, request.overrides);
  for (const clusterName of new Set(request.overrides.map(o => o.clusterName)))
    manifestsForCluster({
      manifests,
      namespace: request.namespace,
      clusterName,
      replicas: {},
      overrides: request.overrides,
    });

  const secrets: Record<string, string> = {};
  const plain: Record<string, string> = {};
  const stored = manifests.map(m => {
    if (!isSecret(m)) return m;
    const out: Manifest = { ...m };
    const annotations = isRecord(m.metadata.annotations)
      ? { ...m.metadata.annotations }
      : undefined;
    if (annotations && LAST_APPLIED in annotations) {
      // kubectl's copy of the whole Secret: never stored, never applied.
      delete annotations[LAST_APPLIED];
      out.metadata = { ...m.metadata, annotations };
    }
    for (const field of SECRET_FIELDS) {
      const values = m[field];
      if (values === undefined) continue;
      if (!isRecord(values))
        throw new InputError(
          `manifests: Secret ${m.metadata.name} ${field} must map keys to strings`,
        );
      const redacted: Record<string, string> = {};
      for (const [key, value] of Object.entries(values)) {
        const where = `Secret ${m.metadata.name} ${field}.${key}`;
        if (typeof value !== 'string')
          throw new InputError(`manifests: ${where} must be a string`);
        const ref = secretValueRef(request.name, m.metadata.name, field, key);
        if (value === REDACTED) {
          const kept = options.previous?.secrets[ref];
          if (!kept)
            throw new InputError(
              `manifests: ${where} is ${REDACTED} but the workload holds no value for it; give the value`,
            );
          secrets[ref] = kept;
        } else {
          if (!options.box)
            throw new InputError(
              `manifests: ${where} has a value, but Secret values cannot be stored: multicluster.environments.secretKey is not set`,
            );
          secrets[ref] = options.box.seal(value, ref);
          plain[ref] = value;
        }
        redacted[key] = REDACTED;
      }
      out[field] = redacted;
    }
    return out;
  });

  // Full refs (`group:default/team-a`), so ownership rules compare like with like.
  const fullRef = (ref: string, defaultKind: string) =>
    stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  const spec: WorkloadSpec = {
    name: request.name,
    owner: fullRef(request.owner, 'group'),
    ...(request.entityRef
      ? { entityRef: fullRef(request.entityRef, 'component') }
      : {}),
    namespace: request.namespace,
    manifests: stored,
    placement: request.placement,
    ...(request.replicas
      ? {
          replicas: {
            totalReplicas: request.replicas.totalReplicas,
            preferences: request.replicas.preferences,
            rebalance: request.replicas.rebalance,
          },
        }
      : {}),
    overrides: request.overrides,
    rollout: { ...DEFAULT_WORKLOAD_ROLLOUT, ...request.rollout },
    failover: {
      graceSeconds:
        request.failover.graceSeconds ?? options.defaultGraceSeconds,
    },
    onClusterRemoved: request.onClusterRemoved,
    ...(request.dns ? { dns: request.dns } : {}),
  };
  return { spec, secrets, plain };
}

/**
 * A revision's manifests with their Secret values opened, for the
 * reconciler (and a dry run's diff). Only ever in memory.
 */
export function openManifests(
  spec: WorkloadSpec,
  secrets: Record<string, string>,
  box: SecretBox | undefined,
): Manifest[] {
  return spec.manifests.map(m => {
    if (!isSecret(m)) return m;
    const out: Manifest = { ...m };
    for (const field of SECRET_FIELDS) {
      const values = m[field];
      if (!isRecord(values)) continue;
      const opened: Record<string, string> = {};
      for (const key of Object.keys(values)) {
        const ref = secretValueRef(spec.name, m.metadata.name, field, key);
        const sealed = secrets[ref];
        if (!sealed || !box)
          throw new Error(
            `Secret ${m.metadata.name} ${field}.${key} of workload ${
              spec.name
            } cannot be opened${
              box ? '' : ': multicluster.environments.secretKey is not set'
            }`,
          );
        opened[key] = box.open(sealed, ref);
      }
      out[field] = opened;
    }
    return out;
  });
}

/** Whether two desired states are the same (Secret values compared in the clear). */
export function sameDesiredState(
  a: { spec: WorkloadSpec; plain: Record<string, string> },
  b: { spec: WorkloadSpec; plain: Record<string, string> },
): boolean {
  const keys = new Set([...Object.keys(a.plain), ...Object.keys(b.plain)]);
  for (const k of keys) if (a.plain[k] !== b.plain[k]) return false;
  return JSON.stringify(a.spec) === JSON.stringify(b.spec);
}

/** The Secret values of a revision in the clear, by reference (for comparison). */
export function plainSecrets(
  spec: WorkloadSpec,
  secrets: Record<string, string>,
  box: SecretBox | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!box) return out;
  for (const [ref, sealed] of Object.entries(secrets)) {
    if (ref.startsWith(`multicluster:workload/${spec.name}/`))
      out[ref] = box.open(sealed, ref);
  }
  return out;
}

/** The desired-state part of a served workload (manifests already redacted). */
export function specView(
  spec: WorkloadSpec,
): Omit<
  Workload,
  'revision' | 'paused' | 'createdAt' | 'updatedAt' | 'status' | 'deleting'
> {
  return {
    name: spec.name,
    owner: spec.owner,
    ...(spec.entityRef ? { entityRef: spec.entityRef } : {}),
    namespace: spec.namespace,
    manifests: spec.manifests as Array<Record<string, unknown>>,
    placement: spec.placement,
    ...(spec.replicas ? { replicas: spec.replicas } : {}),
    overrides: spec.overrides,
    rollout: spec.rollout,
    failover: spec.failover,
    onClusterRemoved: spec.onClusterRemoved,
    ...(spec.dns ? { dns: spec.dns } : {}),
  };
}
