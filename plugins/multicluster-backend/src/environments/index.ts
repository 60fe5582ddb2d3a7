/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Environments as a Service: config, engine, store, local drivers, REST
 * router and the inventory provider of environment clusters. See WIRING.md.
 */
export {
  createEnvironmentsService,
  ENVIRONMENTS_DRIFT_TASK_ID,
  ENVIRONMENTS_RESUME_TASK_ID,
  ENVIRONMENTS_TTL_TASK_ID,
  type EnvironmentsService,
  type EnvironmentsServiceOptions,
  type EnvironmentListQuery,
} from './service';
export {
  addEnvironmentRoutes,
  createEnvironmentsRouter,
  readableEnvironment,
  type EnvironmentsRouterOptions,
} from './router';
export { EnvironmentClusterProvider } from './EnvironmentClusterProvider';
export {
  readEnvironmentsConfig,
  EnvironmentsConfigError,
  type EnvironmentsConfig,
  type EnvironmentsSettings,
  type ComponentTemplate,
  type EnvironmentTypeDefinition,
} from './config/readEnvironmentsConfig';
export { DEFAULT_TEMPLATES, DEFAULT_TYPES } from './config/defaults';
export { EnvironmentCatalog, DriverRegistry } from './catalog';
export { EnvironmentEngine, type CreateOutcome } from './engine';
export { EnvironmentStore } from './store';
export { SecretBox, secretReference, parseSecretReference } from './secrets';
export { openEnvironmentSecret } from './internalSecrets';
export {
  topologicalStages,
  runnableComponents,
  deletableComponents,
  type EnvironmentPlan,
  type PlannedComponent,
} from './planner';
export {
  multiclusterEnvironmentResourceRef,
  isEnvironmentOwnerRule,
  multiclusterEnvironmentRules,
  multiclusterEnvironmentConditions,
  createMulticlusterEnvironmentConditionalDecision,
} from './permissions';
export {
  createLocalDrivers,
  EmulatorClusterDriver,
  KubeconfigClusterDriver,
  LocalNetworkDriver,
  PostgresDatabaseDriver,
  S3BucketDriver,
} from './drivers';
