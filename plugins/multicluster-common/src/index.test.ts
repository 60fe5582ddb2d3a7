/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import * as common from './index';

// Other packages import these names; renaming one is a breaking change.
describe('public API', () => {
  it.each([
    'CLUSTER_HEALTHS',
    'ANNOTATION_ENVIRONMENT',
    'ANNOTATION_CLUSTER_SELECTOR',
    'COMPONENT_KINDS',
    'capabilityContracts',
    'validateCapabilities',
    'secretCapabilities',
    'isSecretReference',
    'parseLabelSelector',
    'formatLabelSelector',
    'matchesLabelSelector',
    'labelSelectorSchema',
    'LabelSelectorError',
    'placementSchema',
    'selectClusters',
    'applyOverrides',
    'clusterOverridesSchema',
    'planReplicas',
    'MULTICLUSTER_CLUSTER_RESOURCE_TYPE',
    'MULTICLUSTER_ENVIRONMENT_RESOURCE_TYPE',
    'multiclusterClusterReadPermission',
    'multiclusterClusterRefreshPermission',
    'multiclusterEnvironmentReadPermission',
    'multiclusterEnvironmentCreatePermission',
    'multiclusterEnvironmentDestroyPermission',
    'multiclusterPermissions',
    'createEnvironmentRequestSchema',
    'MulticlusterClient',
  ])('exports %s', name => {
    expect(common).toHaveProperty(name);
    expect((common as Record<string, unknown>)[name]).toBeDefined();
  });
});
