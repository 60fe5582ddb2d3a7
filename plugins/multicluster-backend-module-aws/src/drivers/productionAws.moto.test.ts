/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
} from '@aws-sdk/client-rds';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
// The environments engine of the multicluster backend drives these drivers (test only).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports, @backstage/no-forbidden-package-imports
import {
  DriverRegistry,
  EnvironmentCatalog,
  EnvironmentEngine,
  EnvironmentStore,
  SecretBox,
  readEnvironmentsConfig,
} from '@archipelago/multicluster-backend/src/environments';
import { createEnvironmentRequestSchema } from '@archipelago/multicluster-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory, { type Knex } from 'knex';
import { type Moto, startMoto } from '../__testUtils__/moto';
import {
  type InjectedFault,
  rdsError,
  startFaultProxy,
} from './__testUtils__/faultProxy';
import { type AwsClients, createAwsClients } from './common';
import { awsDriversConfig } from './config';
import { createAwsComponentDriversFrom } from '.';

jest.setTimeout(120_000);

const SECRET_KEY = 'moto-test-key-0123456789abcdef0123456789abcdef';
const ROLES = {
  clusterRoleArn: 'arn:aws:iam::123456789012:role/eks-cluster',
  nodeRoleArn: 'arn:aws:iam::123456789012:role/eks-node',
};

/** What our tags say exists in moto: the proof of "nothing left behind". */
async function leftovers(aws: AwsClients) {
  const tagged = [{ Name: 'tag-key', Values: ['archipelago.dev/resource'] }];
  const clusters =
    (await aws.eks.send(new ListClustersCommand({}))).clusters ?? [];
  const nodegroups = (
    await Promise.all(
      clusters.map(
        async c =>
          (
            await aws.eks.send(new ListNodegroupsCommand({ clusterName: c }))
          ).nodegroups ?? [],
      ),
    )
  ).flat();
  return {
    vpcs: (
      (await aws.ec2.send(new DescribeVpcsCommand({ Filters: tagged }))).Vpcs ??
      []
    ).map(v => v.VpcId),
    subnets: (
      (await aws.ec2.send(new DescribeSubnetsCommand({ Filters: tagged })))
        .Subnets ?? []
    ).map(s => s.SubnetId),
    clusters,
    nodegroups,
    databases: (
      (await aws.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []
    ).map(d => d.DBInstanceIdentifier),
    subnetGroups: (
      (await aws.rds.send(new DescribeDBSubnetGroupsCommand({})))
        .DBSubnetGroups ?? []
    )
      .map(g => g.DBSubnetGroupName)
      .filter(n => n !== 'default'),
    buckets: (
      (await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? []
    ).map(b => b.Name),
  };
}

describe('production on aws against moto_server', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let db: Knex;
  let engine: EnvironmentEngine;
  let store: EnvironmentStore;
  let direct: AwsClients;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint);
    const settings = {
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      pollIntervalSeconds: 0.05,
      ...ROLES,
    };
    direct = createAwsClients(
      awsDriversConfig({ ...settings, endpoint: moto.endpoint }),
    );
    db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    await db.migrate.latest({
      directory: resolvePackagePath(
        '@archipelago/multicluster-backend',
        'migrations',
      ),
    });
    const config = readEnvironmentsConfig(
      new ConfigReader({
        multicluster: { environments: { secretKey: SECRET_KEY } },
      }),
    );
    // The engine reaches AWS through the fault proxy, so a test can make one call fail.
    const drivers = createAwsComponentDriversFrom(
      awsDriversConfig({ ...settings, endpoint: proxy.endpoint }),
    );
    store = new EnvironmentStore(db);
    engine = new EnvironmentEngine({
      store,
      catalog: EnvironmentCatalog.build(config, new DriverRegistry(drivers)),
      secrets: new SecretBox(SECRET_KEY),
      logger: mockServices.logger.mock(),
      settings: {
        resourcePrefix: 'archi',
        leaseSeconds: 5,
        componentTimeoutMinutes: 1,
      },
    });
  });

  afterAll(async () => {
    await engine?.shutdown();
    await db?.destroy();
    await proxy?.close();
    await moto?.stop();
  });

  const request = (name: string) =>
    createEnvironmentRequestSchema.parse({
      name,
      type: 'production',
      cloud: 'aws',
      owner: 'group:default/payments',
    });

  async function settle(name: string) {
    for (let i = 0; i < 600; i++) {
      await engine.idle();
      const env = await store.get(name);
      if (env && ['ready', 'failed', 'destroyed'].includes(env.status))
        return env;
      await new Promise(r => setTimeout(r, 20));
    }
    throw new Error(`${name} did not settle`);
  }

  it('creates the VPC, EKS cluster, RDS instance and bucket, with capabilities from the APIs; destroy removes them', async () => {
    const started = Date.now();
    await engine.create(request('prod'));
    const env = await settle('prod');
    expect(env.status).toBe('ready');
    expect(Date.now() - started).toBeLessThan(20_000);
    const components = await store.getComponents('prod');
    const caps = Object.fromEntries(
      components.map(c => [c.key, c.capabilities]),
    );
    expect(caps.network.network_id).toMatch(/^vpc-/);
    expect(caps.network.subnet_ids).toHaveLength(3);
    expect(caps.kubernetes).toEqual({
      endpoint: expect.stringMatching(
        /^https:\/\/[A-Za-z0-9]+\.[A-Za-z0-9]+\.eu-west-1\.eks\.amazonaws\.com$/,
      ),
      cluster_id: 'archi-prod-kubernetes',
      version: '1.31',
    });
    expect(caps.database).toMatchObject({
      host: expect.stringContaining('archi-prod-database'),
      port: 5432,
      database: 'archi_prod_database',
    });
    expect(caps.database.master_password).toBeUndefined();
    expect(caps.objectStore).toEqual({
      bucket_url: `${proxy.endpoint}/archi-prod-objectstore`,
      bucket: 'archi-prod-objectstore',
      region: 'eu-west-1',
    });
    const password = await engine.revealSecret(
      'multicluster:environment/prod/database/master_password',
    );
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);

    expect(await leftovers(direct)).toEqual({
      vpcs: [caps.network.network_id],
      subnets: expect.arrayContaining(caps.network.subnet_ids as string[]),
      clusters: ['archi-prod-kubernetes'],
      nodegroups: ['archi-prod-kubernetes-nodes'],
      databases: ['archi-prod-database'],
      subnetGroups: ['archi-prod-database-subnets'],
      buckets: ['archi-prod-objectstore'],
    });
    const access = await engine.clusterAccess('prod', 'kubernetes');
    expect(access.url).toBe(caps.kubernetes.endpoint);
    expect(((await access.credentials()) as { token: string }).token).toMatch(
      /^k8s-aws-v1\./,
    );

    // A second create of the same environment adopts everything (no duplicates).
    expect((await engine.create(request('prod'))).created).toBe(false);

    await engine.destroy('prod');
    expect((await settle('prod')).status).toBe('destroyed');
    expect(await leftovers(direct)).toEqual({
      vpcs: [],
      subnets: [],
      clusters: [],
      nodegroups: [],
      databases: [],
      subnetGroups: [],
      buckets: [],
    });
  });

  it('rolls everything back when the RDS step fails, and says why', async () => {
    const fault: InjectedFault = {
      match: ({ body }) => body.includes('Action=CreateDBInstance'),
      ...rdsError(
        'InsufficientDBInstanceCapacity',
        'Injected: no capacity for db.m6g.large in eu-west-1',
      ),
    };
    proxy.faults.push(fault);
    try {
      await engine.create(request('prod-fail'));
      const env = await settle('prod-fail');
      expect(env.status).toBe('failed');
      expect(env.reason).toContain(
        'component database (aws-rds-postgres) failed: Injected: no capacity for db.m6g.large in eu-west-1',
      );
      expect(env.reason).toContain('everything created was rolled back');
      expect(proxy.hits()).toBeGreaterThanOrEqual(1);
      const components = await store.getComponents('prod-fail');
      expect(components.map(c => [c.key, c.status]).sort()).toEqual([
        ['database', 'deleted'],
        ['kubernetes', 'deleted'],
        ['network', 'deleted'],
        ['objectStore', 'deleted'],
      ]);
      expect(await leftovers(direct)).toEqual({
        vpcs: [],
        subnets: [],
        clusters: [],
        nodegroups: [],
        databases: [],
        subnetGroups: [],
        buckets: [],
      });
    } finally {
      proxy.faults.splice(0);
    }
  });

  it('rejects production/aws inputs a driver refuses, before touching AWS', async () => {
    await expect(
      engine.create(
        createEnvironmentRequestSchema.parse({
          ...request('prod-bad'),
          inputs: {
            database: { instanceClass: 'huge' },
            kubernetes: { nodes: 0 },
          },
        }),
      ),
    ).rejects.toThrow(
      'inputs.database: instanceClass: must be an RDS instance class such as db.t3.medium; inputs.kubernetes: nodes: must be a whole number between 1 and 100',
    );
    expect(await store.get('prod-bad')).toBeUndefined();
  });
});
