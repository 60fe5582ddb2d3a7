/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ComponentTemplateDefinition,
  type EnvironmentCloudMapping,
  templateMapping,
} from '@archipelago/multicluster-node';

/**
 * The component templates of the AWS drivers.
 * @public
 */
export const AWS_COMPONENT_TEMPLATES: Record<
  string,
  ComponentTemplateDefinition
> = {
  'aws-vpc-small': {
    kind: 'network',
    driver: 'aws-vpc',
    description:
      'A VPC with a private subnet in each of two availability zones',
    inputs: { cidr: '10.20.0.0/16', availabilityZones: 2 },
  },
  'aws-vpc-production': {
    kind: 'network',
    driver: 'aws-vpc',
    description:
      'A VPC with a private subnet in each of three availability zones',
    inputs: { cidr: '10.30.0.0/16', availabilityZones: 3 },
  },
  'aws-eks-small': {
    kind: 'kubernetes',
    driver: 'aws-eks',
    description: 'An EKS cluster with one t3.medium node',
    inputs: {
      version: '1.31',
      subnetIds: '${{ components.network.subnet_ids }}',
      nodeInstanceType: 't3.medium',
      nodes: 1,
    },
  },
  'aws-eks-large': {
    kind: 'kubernetes',
    driver: 'aws-eks',
    description: 'An EKS cluster with three m5.large nodes',
    inputs: {
      version: '1.31',
      subnetIds: '${{ components.network.subnet_ids }}',
      nodeInstanceType: 'm5.large',
      nodes: 3,
    },
  },
  'aws-eks-production': {
    kind: 'kubernetes',
    driver: 'aws-eks',
    description: 'An EKS cluster with six m5.xlarge nodes over three zones',
    inputs: {
      version: '1.31',
      subnetIds: '${{ components.network.subnet_ids }}',
      nodeInstanceType: 'm5.xlarge',
      nodes: 6,
    },
  },
  'aws-rds-postgres-small': {
    kind: 'database',
    driver: 'aws-rds-postgres',
    description: 'An RDS PostgreSQL db.t3.medium instance, single zone',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      instanceClass: 'db.t3.medium',
      storageGb: 20,
      multiAz: false,
    },
  },
  'aws-rds-postgres-production': {
    kind: 'database',
    driver: 'aws-rds-postgres',
    description: 'An RDS PostgreSQL db.m6g.large instance, multi-AZ',
    inputs: {
      subnetIds: '${{ components.network.subnet_ids }}',
      instanceClass: 'db.m6g.large',
      storageGb: 100,
      multiAz: true,
    },
  },
  'aws-s3-bucket': {
    kind: 'objectStore',
    driver: 'aws-s3-bucket',
    description: 'An S3 bucket',
    inputs: { versioning: false },
  },
  'aws-s3-bucket-versioned': {
    kind: 'objectStore',
    driver: 'aws-s3-bucket',
    description: 'A versioned S3 bucket',
    inputs: { versioning: true },
  },
};

/**
 * dev-small, dev-large and production on the `aws` cloud: managed services
 * throughout, sized up from one t3.medium node and a small RDS instance to a
 * multi-AZ production setup.
 * @public
 */
export const AWS_ENVIRONMENT_TYPE_MAPPINGS: Record<
  string,
  EnvironmentCloudMapping
> = {
  'dev-small': templateMapping({
    network: 'aws-vpc-small',
    kubernetes: 'aws-eks-small',
    database: 'aws-rds-postgres-small',
    objectStore: 'aws-s3-bucket',
  }),
  'dev-large': templateMapping({
    network: 'aws-vpc-small',
    kubernetes: 'aws-eks-large',
    database: 'aws-rds-postgres-small',
    objectStore: 'aws-s3-bucket',
  }),
  production: templateMapping({
    network: 'aws-vpc-production',
    kubernetes: 'aws-eks-production',
    database: 'aws-rds-postgres-production',
    objectStore: 'aws-s3-bucket-versioned',
  }),
};
