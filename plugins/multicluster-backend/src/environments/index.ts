/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Environments as a Service inside the multicluster plugin: the service the
// router calls (request handling), the engine's roles (component runner,
// periodic tasks, secrets), the store and the inventory provider of the
// clusters environments create. Wired by ../plugin.ts.
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
export {
  EnvironmentContributionsCollector,
  type EnvironmentContributions,
} from './contributions';
export { EnvironmentClusterProvider } from './EnvironmentClusterProvider';
export {
  readEnvironmentsConfig,
  EnvironmentsConfigError,
  type EnvironmentsConfig,
  type EnvironmentsSettings,
  type ComponentTemplate,
  type EnvironmentTypeDefinition,
} from './config/readEnvironmentsConfig';
export { STANDARD_ENVIRONMENT_TYPES } from './config/standardTypes';
export { EnvironmentCatalog, DriverRegistry } from './catalog';
export { EnvironmentEngine, type CreateOutcome } from './engine';
export { EnvironmentStore } from './store/EnvironmentStore';
export {
  SecretBox,
  secretReference,
  parseSecretReference,
} from './secrets/SecretBox';
export { openEnvironmentSecret } from './secrets/openEnvironmentSecret';
export {
  topologicalStages,
  runnableComponents,
  deletableComponents,
  type EnvironmentPlan,
  type PlannedComponent,
} from './stagePlanner';
export {
  multiclusterEnvironmentResourceRef,
  isEnvironmentOwnerRule,
  multiclusterEnvironmentRules,
  multiclusterEnvironmentConditions,
  createMulticlusterEnvironmentConditionalDecision,
} from './permissions';
