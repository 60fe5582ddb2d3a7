/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * AWS for the multicluster plugin: discovers EKS clusters across accounts and regions
 * and authenticates to them with EKS (aws-iam-authenticator) tokens.
 *
 * @packageDocumentation
 */
export { multiclusterModuleAws as default } from './module';
export {
  AwsEksClusterProvider,
  AWS_LABELS,
  type AwsEksClusterProviderOptions,
} from './eks/AwsEksClusterProvider';
export {
  createEksToken,
  createEksCredentialsResolver,
  EKS_TOKEN_PREFIX,
  EKS_CLUSTER_ID_HEADER,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type EksTokenOptions,
  type EksCredentialsResolverOptions,
} from './eks/token';
export { eksProviderState } from './eks/state';
export {
  readAwsConfig,
  type AwsAccountConfig,
  type AwsRegionConfig,
} from './config';
export { createAwsComponentDrivers } from './drivers';
export {
  AWS_COMPONENT_TEMPLATES,
  AWS_ENVIRONMENT_TYPE_MAPPINGS,
} from './drivers/templates';
export {
  Route53DnsProvider,
  type Route53DnsProviderOptions,
} from './dns/Route53DnsProvider';
