/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Bounds on manifests: the shared apply library.
export {
  checkParsedManifests,
  checkRawManifests,
  DEFAULT_MANIFEST_LIMITS,
  type ManifestLimits,
} from '@archipelago/multicluster-node';
