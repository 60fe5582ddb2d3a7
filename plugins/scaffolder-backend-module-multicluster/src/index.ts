/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Scaffolder actions of Archipelago: `multicluster:environment:create`,
 * `multicluster:environment:update`, `multicluster:environment:destroy`,
 * `multicluster:environment:get`, `multicluster:environment:register-component`,
 * `multicluster:deploy`, `multicluster:workload:apply` and
 * `multicluster:workload:delete`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMulticluster as default } from './module';
export { createEnvironmentCreateAction } from './actions/environmentCreate';
export { createEnvironmentDestroyAction } from './actions/environmentDestroy';
export { createEnvironmentUpdateAction } from './actions/environmentUpdate';
export { createEnvironmentGetAction } from './actions/environmentGet';
export { createEnvironmentRegisterComponentAction } from './actions/environmentRegisterComponent';
export type { EnvironmentActionOptions } from './actions/environmentShared';
export { createDeployAction, type DeployActionOptions } from './actions/deploy';
export {
  createWorkloadApplyAction,
  type WorkloadApplyActionOptions,
} from './actions/workloadApply';
export { createWorkloadDeleteAction } from './actions/workloadDelete';
export type { WorkloadActionOptions } from './workload/workloadApi';
