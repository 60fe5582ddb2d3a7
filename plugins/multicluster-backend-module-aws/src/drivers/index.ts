/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import { AwsEksDriver } from './AwsEksDriver';
import { AwsRdsPostgresDriver } from './AwsRdsPostgresDriver';
import { AwsS3BucketDriver } from './AwsS3BucketDriver';
import { AwsVpcDriver } from './AwsVpcDriver';
import { createAwsClients } from './common';
import { type AwsDriversConfig, readAwsDriversConfig } from './config';

export { AwsVpcDriver } from './AwsVpcDriver';
export { AwsEksDriver } from './AwsEksDriver';
export { AwsRdsPostgresDriver } from './AwsRdsPostgresDriver';
export { AwsS3BucketDriver } from './AwsS3BucketDriver';
export {
  AWS_DRIVERS_CONFIG_ROOT,
  awsDriversConfig,
  readAwsDriversConfig,
  type AwsDriversConfig,
} from './config';

/** The AWS component drivers for settings already read. */
export function createAwsComponentDriversFrom(
  config: AwsDriversConfig,
): ComponentDriver[] {
  const clients = createAwsClients(config);
  return [
    new AwsVpcDriver(clients),
    new AwsEksDriver(clients, {
      clusterRoleArn: config.clusterRoleArn,
      nodeRoleArn: config.nodeRoleArn,
    }),
    new AwsRdsPostgresDriver(clients),
    new AwsS3BucketDriver(clients),
  ];
}

/**
 * The AWS component drivers (`aws-vpc`, `aws-eks`, `aws-rds-postgres`,
 * `aws-s3-bucket`) from `multicluster.environments.aws`, or none when that
 * key is absent (the `aws` cloud of the environment types is then unavailable).
 * @public
 */
export function createAwsComponentDrivers(config: Config): ComponentDriver[] {
  const settings = readAwsDriversConfig(config);
  return settings ? createAwsComponentDriversFrom(settings) : [];
}
