/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';
import { parseInput } from './validation';

/**
 * A cluster's share of replicas, as KubeFed's ClusterPreferences.
 * @public
 */
export interface ReplicaPreference {
  /** Replicas the cluster gets before any weighted share. Default 0. */
  minReplicas?: number;
  /** Upper bound for the cluster; absent means unbounded. */
  maxReplicas?: number;
  /** Relative share of what is left after the minimums. Default 0 (no share). */
  weight?: number;
}

/** Input of planReplicas. @public */
export interface PlanReplicasInput {
  /** Replicas to spread over the clusters. */
  totalReplicas: number;
  /** The clusters to plan over (usually the placement's selected clusters). */
  clusters: string[];
  /** Preferences by cluster name; `*` applies to every cluster without its own entry. */
  preferences: Record<string, ReplicaPreference>;
  /**
   * When false (the default, as in KubeFed), replicas already running in a
   * cluster are kept there as far as preferences and capacity allow.
   */
  rebalance?: boolean;
  /** Replicas currently running, by cluster name. */
  current?: Record<string, number>;
  /** Estimated replicas each cluster can run, by cluster name; absent means unbounded. */
  capacity?: Record<string, number>;
  /**
   * A string mixed into the tie-break hash (KubeFed uses the workload's name) so
   * that equal-weight ties do not always favour the same cluster.
   */
  key?: string;
}

/** How planReplicas spread the replicas. @public */
export interface ReplicaPlan {
  /** Replicas per cluster; every input cluster is present (0 when it gets none). */
  plan: Record<string, number>;
  /**
   * Replicas that would be nice to schedule on top of the plan in a cluster
   * whose capacity cut its share; without rebalance, trimmed to what could not
   * be placed anywhere.
   */
  overflow: Record<string, number>;
}

// KubeFed's TotalReplicas is an int32.
const MAX_TOTAL_REPLICAS = 2147483647;
// Keeps the sum of weights an exact integer for any realistic cluster count.
const MAX_WEIGHT = 2147483647;

const count = (field: string) =>
  z
    .number({
      required_error: `${field} is required`,
      invalid_type_error: `${field} must be a number`,
    })
    .int(`${field} must be a whole number`)
    .nonnegative(`${field} must be 0 or more`)
    .max(Number.MAX_SAFE_INTEGER, `${field} is too large`);

const preferenceSchema = z
  .object({
    minReplicas: count('minReplicas').optional(),
    maxReplicas: count('maxReplicas').optional(),
    weight: count('weight')
      .max(MAX_WEIGHT, `weight must be at most ${MAX_WEIGHT}`)
      .optional(),
  })
  .strict()
  .superRefine((pref, ctx) => {
    if (
      pref.minReplicas !== undefined &&
      pref.maxReplicas !== undefined &&
      pref.minReplicas > pref.maxReplicas
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['minReplicas'],
        message: `minReplicas (${pref.minReplicas}) must not exceed maxReplicas (${pref.maxReplicas})`,
      });
    }
  });

/** zod schema of one replica preference. @public */
export const replicaPreferenceSchema = preferenceSchema;

/** zod schema of the preferences map (cluster name or `*` → preference). @public */
export const replicaPreferencesSchema = z.record(
  z.string().min(1, 'a preference key must be a cluster name or "*"'),
  preferenceSchema,
  {
    invalid_type_error:
      'preferences must map cluster names or "*" to { minReplicas?, maxReplicas?, weight? }',
  },
);

/** zod schema of planReplicas' input. @public */
export const planReplicasInputSchema = z
  .object({
    totalReplicas: count('totalReplicas').max(
      MAX_TOTAL_REPLICAS,
      `totalReplicas must be at most ${MAX_TOTAL_REPLICAS}`,
    ),
    clusters: z
      .array(z.string().min(1, 'cluster names must not be empty'), {
        required_error: 'clusters is required',
        invalid_type_error: 'clusters must be a list of cluster names',
      })
      .superRefine((clusters, ctx) => {
        const seen = new Set<string>();
        for (const name of clusters) {
          if (seen.has(name)) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: `cluster "${name}" is listed more than once`,
            });
          }
          seen.add(name);
        }
      }),
    preferences: replicaPreferencesSchema,
    rebalance: z
      .boolean({ invalid_type_error: 'rebalance must be true or false' })
      .optional(),
    current: z.record(count('current replicas')).optional(),
    capacity: z.record(count('capacity')).optional(),
    key: z.string({ invalid_type_error: 'key must be a string' }).optional(),
  })
  .strict();

const FNV32_OFFSET_BASIS = 2166136261;
const FNV32_PRIME = 16777619;

/**
 * FNV-1 (not FNV-1a) 32-bit hash of the UTF-8 bytes of a string, as Go's
 * `hash/fnv.New32`: multiply, then xor each byte.
 * @public
 */
export function fnv1Hash32(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let hash = FNV32_OFFSET_BASIS;
  for (const byte of bytes) {
    hash = (Math.imul(hash, FNV32_PRIME) ^ byte) >>> 0;
  }
  return hash;
}

interface NamedPreference {
  clusterName: string;
  hash: number;
  minReplicas: number;
  maxReplicas?: number;
  weight: number;
}

/**
 * Divides replicas among clusters exactly as KubeFed's ReplicaSchedulingPreference
 * planner (pkg/controller/util/planner/planner.go), ported line by line:
 * minimums first (by weight, then hash), then current replicas kept when not
 * rebalancing, then rounds of weighted shares rounded up and capped by what is
 * left, maxReplicas and capacity; a cluster with no preference and no `*` gets
 * 0. Throws an InputError naming the bad field.
 * @public
 */
export function planReplicas(input: PlanReplicasInput): ReplicaPlan {
  const valid = parseInput(
    planReplicasInputSchema,
    input,
    'replica plan input',
  );
  const current = valid.current ?? {};
  const capacity = valid.capacity ?? {};
  const rebalance = valid.rebalance ?? false;
  const key = valid.key ?? '';
  const own = (record: Record<string, unknown>, name: string) =>
    Object.prototype.hasOwnProperty.call(record, name);

  // Maps keyed by cluster names that come from users: no prototype to collide with.
  const plan = new Map<string, number>();
  const overflow = new Map<string, number>();

  const named = (name: string, pref: ReplicaPreference): NamedPreference => ({
    clusterName: name,
    // Go writes the name, then the key, into one hasher: the hash of the concatenation.
    hash: fnv1Hash32(name + key),
    minReplicas: pref.minReplicas ?? 0,
    maxReplicas: pref.maxReplicas,
    weight: pref.weight ?? 0,
  });

  let preferences: NamedPreference[] = [];
  for (const cluster of valid.clusters) {
    if (own(valid.preferences, cluster)) {
      preferences.push(named(cluster, valid.preferences[cluster]));
    } else if (own(valid.preferences, '*')) {
      preferences.push(named(cluster, valid.preferences['*']));
    } else {
      plan.set(cluster, 0);
    }
  }
  // Decreasing weight, then increasing hash (so single replicas do not always
  // land on the alphabetically first cluster). Array#sort is stable.
  preferences.sort((a, b) =>
    a.weight !== b.weight ? b.weight - a.weight : a.hash - b.hash,
  );

  let remainingReplicas = valid.totalReplicas;

  // Assign each cluster the minimum number of replicas it requested.
  for (const preference of preferences) {
    let min = Math.min(preference.minReplicas, remainingReplicas);
    if (own(capacity, preference.clusterName)) {
      min = Math.min(min, capacity[preference.clusterName]);
    }
    remainingReplicas -= min;
    plan.set(preference.clusterName, min);
  }

  // Replicas assigned only because they already run there (rebalance=false);
  // consumed by the weighted rounds below before they add anything new.
  const preallocated = new Map<string, number>();

  if (!rebalance) {
    for (const preference of preferences) {
      const planned = plan.get(preference.clusterName) ?? 0;
      const hasSome = own(current, preference.clusterName);
      const running = hasSome ? current[preference.clusterName] : 0;
      if (hasSome && running > planned) {
        let target = running;
        if (preference.maxReplicas !== undefined) {
          target = Math.min(preference.maxReplicas, target);
        }
        if (own(capacity, preference.clusterName)) {
          target = Math.min(capacity[preference.clusterName], target);
        }
        let extra = Math.min(target - planned, remainingReplicas);
        if (extra < 0) {
          extra = 0;
        }
        remainingReplicas -= extra;
        preallocated.set(preference.clusterName, extra);
        plan.set(preference.clusterName, extra + planned);
      }
    }
  }

  let modified = true;

  // One pass may not place everything (weights, max and rounding); repeat while
  // replicas remain and a pass changed something. Every pass either places all
  // that remains, fills a cluster, or halves the pending preallocated replicas,
  // so the loop ends.
  while (modified && remainingReplicas > 0) {
    modified = false;
    let weightSum = 0;
    for (const preference of preferences) {
      weightSum += preference.weight;
    }
    const newPreferences: NamedPreference[] = [];

    const distributeInThisLoop = remainingReplicas;

    for (const preference of preferences) {
      if (weightSum > 0) {
        const start = plan.get(preference.clusterName) ?? 0;
        // Distribute the remaining replicas, rounding fractions always up.
        let extra = ceilShare(
          distributeInThisLoop,
          preference.weight,
          weightSum,
        );
        extra = Math.min(extra, remainingReplicas);

        // Account preallocated.
        const prealloc = preallocated.get(preference.clusterName) ?? 0;
        const usedPrealloc = Math.min(extra, prealloc);
        preallocated.set(preference.clusterName, prealloc - usedPrealloc);
        extra -= usedPrealloc;
        if (usedPrealloc > 0) {
          modified = true;
        }

        // What was there at the start plus what is due in this round.
        let total = start + extra;

        // A cluster that hits its max or capacity leaves the following rounds.
        let full = false;
        if (
          preference.maxReplicas !== undefined &&
          total > preference.maxReplicas
        ) {
          total = preference.maxReplicas;
          full = true;
        }
        if (
          own(capacity, preference.clusterName) &&
          total > capacity[preference.clusterName]
        ) {
          overflow.set(
            preference.clusterName,
            total - capacity[preference.clusterName],
          );
          total = capacity[preference.clusterName];
          full = true;
        }

        if (!full) {
          newPreferences.push(preference);
        }

        // Only total - start replicas were actually taken.
        remainingReplicas -= total - start;
        plan.set(preference.clusterName, total);

        if (total > start) {
          modified = true;
        }
      } else {
        break;
      }
    }
    preferences = newPreferences;
  }

  let finalOverflow = overflow;
  if (!rebalance) {
    // Without rebalance, overflow is trimmed to the replicas that could not be
    // placed anywhere.
    finalOverflow = new Map();
    for (const [name, value] of overflow) {
      const trimmed = Math.min(value, remainingReplicas);
      if (trimmed > 0) {
        finalOverflow.set(name, trimmed);
      }
    }
  }

  return {
    plan: toRecord(valid.clusters, plan),
    overflow: toRecord(valid.clusters, finalOverflow),
  };
}

/**
 * ceil(total * weight / weightSum) in integer arithmetic, as Go's
 * `(total*weight + weightSum - 1) / weightSum`. BigInt keeps the product exact
 * where it would pass 2^53 (Go computes it in int64).
 */
function ceilShare(total: number, weight: number, weightSum: number): number {
  const numerator = total * weight + weightSum - 1;
  if (Number.isSafeInteger(numerator)) {
    // Exact: subtract the remainder rather than trust a rounded float quotient.
    return (numerator - (numerator % weightSum)) / weightSum;
  }
  const sum = BigInt(weightSum);
  return Number((BigInt(total) * BigInt(weight) + sum - BigInt(1)) / sum);
}

/** A plain record in the order of the input clusters, for stable output. */
function toRecord(
  order: string[],
  values: Map<string, number>,
): Record<string, number> {
  const record: Record<string, number> = {};
  for (const name of order) {
    const value = values.get(name);
    if (value !== undefined) {
      Object.defineProperty(record, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return record;
}
