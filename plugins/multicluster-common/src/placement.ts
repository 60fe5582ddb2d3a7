/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';
import { ClusterHealth } from './types';
import {
  compileLabelSelector,
  formatLabelSelector,
  LabelMatcher,
  LabelSelector,
  labelSelectorSchema,
  parseLabelSelector,
} from './labelSelector';
import { parseInput } from './validation';

/**
 * Where a workload goes, as KubeFed's placement: explicit cluster names win over
 * a selector; with neither, nothing is selected (use `clusterSelector: {}` or
 * `''` for every cluster).
 * @public
 */
export interface Placement {
  /** Cluster names; when non-empty the selector is ignored. */
  clusterNames?: string[];
  /** Object form or Kubernetes string syntax; empty selects every cluster. */
  clusterSelector?: LabelSelector | string;
  /** Cluster names never selected, whatever else matches. */
  exclude?: string[];
  /** Keep clusters whose health is `unreachable` or `unauthorized` (skipped by default). */
  includeUnreachable?: boolean;
}

const clusterNameList = (field: string) =>
  z.array(
    z
      .string({
        invalid_type_error: `${field} must hold cluster names (strings)`,
      })
      .min(1, `${field} must not hold an empty cluster name`),
    { invalid_type_error: `${field} must be a list of cluster names` },
  );

/** zod schema of a Placement; a string selector is checked by parsing it. @public */
export const placementSchema = z
  .object({
    clusterNames: clusterNameList('clusterNames').optional(),
    clusterSelector: z
      .union(
        [
          z.string().superRefine((text, ctx) => {
            try {
              parseLabelSelector(text);
            } catch (e) {
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                message: (e as Error).message,
              });
            }
          }),
          labelSelectorSchema,
        ],
        {
          errorMap: () => ({
            message:
              'clusterSelector must be a label-selector string or an object { matchLabels?, matchExpressions? }',
          }),
        },
      )
      .optional(),
    exclude: clusterNameList('exclude').optional(),
    includeUnreachable: z
      .boolean({
        invalid_type_error: 'includeUnreachable must be true or false',
      })
      .optional(),
  })
  .strict();

/**
 * Machine-readable reasons a placement excluded a cluster. "Excluded" is the
 * one word for a cluster a placement leaves out, in the preview, the deploy
 * action, the client and the UI.
 * @public
 */
export const PLACEMENT_EXCLUSION_REASONS = [
  /** clusterNames is set and does not name the cluster. */
  'not-in-clusterNames',
  /** The cluster's labels do not satisfy clusterSelector. */
  'selector-mismatch',
  /** The placement has neither clusterNames nor clusterSelector. */
  'no-placement',
  /** The cluster is listed in `exclude`. */
  'in-exclude',
  /** Health is `unreachable` and includeUnreachable is not set. */
  'unreachable',
  /** Health is `unauthorized` and includeUnreachable is not set. */
  'unauthorized',
  /** clusterNames names a cluster that is not in the inventory. */
  'unknown-cluster',
] as const;

/** Why a placement left a cluster out. @public */
export type PlacementExclusionReason =
  (typeof PLACEMENT_EXCLUSION_REASONS)[number];

/** A cluster the placement excluded, and why. @public */
export interface PlacementExclusion {
  /** The cluster's name. */
  cluster: string;
  /** Why it was left out. */
  reason: PlacementExclusionReason;
  /** A sentence for people. */
  message: string;
}

/** What selectClusters needs of a cluster. @public */
export interface PlacementCandidate {
  /** The cluster's name. */
  name: string;
  /** Its labels, for the selector. */
  labels?: Record<string, string>;
  /** Its health; unreachable clusters are left out unless the placement includes them. */
  health?: ClusterHealth;
}

/** What a placement selected and what it left out. @public */
export interface PlacementResult {
  /** Selected cluster names, in the order of the candidates. */
  selected: string[];
  /** One entry per left-out candidate, then one per unknown name in clusterNames. */
  excluded: PlacementExclusion[];
}

const UNUSABLE_HEALTH: ReadonlySet<ClusterHealth> = new Set([
  'unreachable',
  'unauthorized',
]);

/**
 * Picks the clusters a placement selects. Pure: the caller passes the inventory.
 * Each candidate is tested in order (names or selector, then exclude, then
 * health) and a left-out one carries the first reason that applies.
 * Throws LabelSelectorError when the selector is invalid.
 * @public
 */
export function selectClusters(
  placement: Placement,
  clusters: PlacementCandidate[],
): PlacementResult {
  const names = placement.clusterNames ?? [];
  const useNames = names.length > 0;
  const nameSet = new Set(names);
  const excludeSet = new Set(placement.exclude ?? []);

  let matcher: LabelMatcher | undefined;
  let selectorText = '';
  if (!useNames && placement.clusterSelector !== undefined) {
    matcher = compileLabelSelector(placement.clusterSelector);
    selectorText =
      typeof placement.clusterSelector === 'string'
        ? placement.clusterSelector.trim()
        : formatLabelSelector(placement.clusterSelector);
  }

  const selected: string[] = [];
  const excluded: PlacementExclusion[] = [];
  const seen = new Set<string>();

  for (const cluster of clusters) {
    if (seen.has(cluster.name)) {
      // The inventory guarantees unique names; a duplicate here would double-place.
      continue;
    }
    seen.add(cluster.name);
    const exclusion = exclusionOf(cluster);
    if (exclusion) {
      excluded.push(exclusion);
    } else {
      selected.push(cluster.name);
    }
  }

  if (useNames) {
    const reported = new Set<string>();
    for (const name of names) {
      if (!seen.has(name) && !reported.has(name)) {
        reported.add(name);
        excluded.push({
          cluster: name,
          reason: 'unknown-cluster',
          message: `Cluster "${name}" named in clusterNames is not in the inventory`,
        });
      }
    }
  }

  return { selected, excluded };

  function exclusionOf(
    cluster: PlacementCandidate,
  ): PlacementExclusion | undefined {
    const name = cluster.name;
    if (useNames) {
      if (!nameSet.has(name)) {
        return {
          cluster: name,
          reason: 'not-in-clusterNames',
          message: `Cluster "${name}" is not listed in clusterNames`,
        };
      }
    } else if (!matcher) {
      return {
        cluster: name,
        reason: 'no-placement',
        message:
          'The placement has neither clusterNames nor clusterSelector; use an empty clusterSelector to select every cluster',
      };
    } else if (!matcher(cluster.labels)) {
      return {
        cluster: name,
        reason: 'selector-mismatch',
        message: `Cluster "${name}" labels do not match the selector "${selectorText}"`,
      };
    }
    if (excludeSet.has(name)) {
      return {
        cluster: name,
        reason: 'in-exclude',
        message: `Cluster "${name}" is listed in exclude`,
      };
    }
    if (
      cluster.health &&
      UNUSABLE_HEALTH.has(cluster.health) &&
      !placement.includeUnreachable
    ) {
      return {
        cluster: name,
        reason:
          cluster.health === 'unauthorized' ? 'unauthorized' : 'unreachable',
        message: `Cluster "${name}" is ${cluster.health}; set includeUnreachable to place on it anyway`,
      };
    }
    return undefined;
  }
}

/**
 * Parses and validates an untrusted placement (a request body); throws an
 * InputError naming every bad field.
 * @public
 */
export function parsePlacement(value: unknown): Placement {
  return parseInput(placementSchema, value, 'placement');
}
