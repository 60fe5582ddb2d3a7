/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Manifest parsing and normalisation: the shared apply library.
export {
  describeManifest,
  hasReadiness,
  isWorkload,
  type Manifest,
  matchesTarget,
  normaliseManifests,
  parseManifestText,
  WORKLOAD_KINDS,
  workloadKey,
} from '@archipelago/multicluster-node';
