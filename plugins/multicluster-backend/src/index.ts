/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The multicluster backend plugin: cluster inventory, health prober and REST API.
 *
 * @packageDocumentation
 */
export {
  multiclusterPlugin as default,
  DISCOVERY_TASK_ID,
  PROBE_TASK_ID,
} from './plugin';
export {
  multiclusterClusterResourceRef,
  hasLabelRule,
  multiclusterClusterRules,
  multiclusterClusterConditions,
  createMulticlusterClusterConditionalDecision,
} from './permissions/rules';
export {
  MulticlusterExamplePolicy,
  multiclusterExamplePolicyModule,
  type MulticlusterExamplePolicyOptions,
} from './permissions/examplePolicy';
export {
  classifyProbe,
  parseVerboseChecks,
  DEFAULT_NON_CRITICAL_CHECKS,
} from './prober/classify';
export type {
  Classification,
  ProbeObservation,
  HttpOutcome,
  TransportError,
} from './prober/classify';
export { detectDistribution } from './prober/distribution';
export { clusterIdFor, normaliseServerUrl } from './inventory/clusterId';
export { ConfigClusterProvider } from './providers/ConfigClusterProvider';
export { KubeconfigClusterProvider } from './providers/KubeconfigClusterProvider';
export { CatalogClusterProvider } from './providers/CatalogClusterProvider';
export { EmulatorClusterProvider } from './providers/EmulatorClusterProvider';
export {
  createEnvironmentsService,
  createEnvironmentsRouter,
  EnvironmentClusterProvider,
  openEnvironmentSecret,
  multiclusterEnvironmentResourceRef,
  multiclusterEnvironmentRules,
  multiclusterEnvironmentConditions,
  createMulticlusterEnvironmentConditionalDecision,
  type EnvironmentsService,
} from './environments';
