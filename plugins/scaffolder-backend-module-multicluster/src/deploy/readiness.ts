/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Readiness rules: the shared apply library.
export {
  type Readiness,
  workloadReadiness,
} from '@archipelago/multicluster-node';
