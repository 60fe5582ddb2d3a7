/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Azure for the multicluster plugin: discovers AKS managed clusters across
 * subscriptions and authenticates to them with Entra ID tokens or cluster user
 * credentials.
 *
 * @packageDocumentation
 */
export { multiclusterModuleAzure as default } from './module';
export {
  AzureAksClusterProvider,
  AZURE_LABELS,
  type AzureAksClusterProviderOptions,
} from './AzureAksClusterProvider';
export { aksProviderState } from './state';
export { createEntraIdResolver } from './credentials';
export {
  readAzureConfig,
  AKS_SERVER_SCOPE,
  AZURE_CLUSTER_AUTH_MODES,
  AZURE_KUBERNETES_PLUGIN_AUTH,
  type AzureProviderConfig,
  type AzureSubscriptionConfig,
} from './config';
export { createAzureComponentDrivers } from './drivers';
export {
  AZURE_COMPONENT_TEMPLATES,
  AZURE_ENVIRONMENT_TYPE_MAPPINGS,
} from './drivers/templates';
