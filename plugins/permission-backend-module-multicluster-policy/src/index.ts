/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * An example permission policy for the multicluster plugin: admins see every
 * cluster and may refresh; everyone else sees the clusters whose team label
 * names one of their groups.
 *
 * @packageDocumentation
 */
export { permissionModuleMulticlusterPolicy as default } from './module';
export {
  MulticlusterExamplePolicy,
  type MulticlusterExamplePolicyOptions,
} from './MulticlusterExamplePolicy';
