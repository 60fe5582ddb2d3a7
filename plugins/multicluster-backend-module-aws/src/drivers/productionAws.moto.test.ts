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
import multiclusterPlugin, {
  openEnvironmentSecret,
} from '@archipelago/multicluster-backend';
import {
  FAKE_SECRET_KEY,
  catalogWithOwners,
  multiclusterApi,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
import localModule from '@archipelago/multicluster-backend-module-local';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
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
import awsModule from '..';

jest.setTimeout(120_000);

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

/**
 * production/aws created through the real multicluster plugin with this
 * module installed, against moto_server, over the REST API.
 */
describe('production on aws against moto_server', () => {
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let db: Knex;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let api: ReturnType<typeof multiclusterApi>;
  let config: ConfigReader;
  let direct: AwsClients;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'archi-aws-promote-'));
    await chmod(dataDir, 0o755);
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
    // The plugin reaches AWS through the fault proxy, so a test can make one call fail.
    const data = {
      multicluster: {
        environments: {
          secretKey: FAKE_SECRET_KEY,
          leaseSeconds: 5,
          componentTimeoutMinutes: 1,
          aws: { ...settings, endpoint: proxy.endpoint },
          // The local cloud too: dev-small there is promoted to production here.
          local: true,
          dataDir,
          drift: { enabled: false },
        },
        health: { timeoutSeconds: 1 },
      },
    };
    config = new ConfigReader(data);
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        awsModule,
        localModule,
        catalogWithOwners(['group:default/payments']),
        mockServices.rootConfig.factory({ data }),
        mockServices.database.factory({ knex: db }),
      ],
    });
    api = multiclusterApi(backend.server);
  });

  afterAll(async () => {
    await backend?.stop();
    await db?.destroy();
    await proxy?.close();
    await moto?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const request = (name: string) => ({
    name,
    type: 'production',
    cloud: 'aws',
    owner: 'group:default/payments',
  });

  const settle = (name: string) => api.settled(name, { timeoutMs: 60_000 });
  const capabilitiesOf = (env: any) =>
    Object.fromEntries(env.components.map((c: any) => [c.key, c.capabilities]));

  it('creates the VPC, EKS cluster, RDS instance and bucket, with capabilities from the APIs; destroy removes them', async () => {
    expect((await api.createEnvironment(request('prod'))).status).toBe(201);
    const env = await settle('prod');
    expect(env.status).toBe('ready');
    const caps = capabilitiesOf(env);
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
      master_password: {
        secretRef: 'multicluster:environment/prod/database/master_password',
      },
    });
    expect(caps.objectStore).toEqual({
      bucket_url: `${proxy.endpoint}/archi-prod-objectstore`,
      bucket: 'archi-prod-objectstore',
      region: 'eu-west-1',
    });
    const password = await openEnvironmentSecret({
      database: db,
      config,
      reference: 'multicluster:environment/prod/database/master_password',
    });
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
    // The inventory lists the EKS cluster, and hands the Kubernetes plugin an EKS token for it.
    const cluster = await waitFor(
      async () =>
        (
          await api.get('/clusters')
        ).body.items?.find((c: any) => c.environment === 'prod'),
      { what: 'the EKS cluster in the inventory' },
    );
    expect(cluster.url).toBe(caps.kubernetes.endpoint);
    const connections = await api.get(
      `/internal/connections?ids=${cluster.id}`,
      {
        authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:kubernetes'),
          targetPluginId: 'multicluster',
        }),
      },
    );
    expect(connections.body.items[0].serviceAccountToken).toMatch(
      /^k8s-aws-v1\./,
    );

    // A second create of the same environment adopts everything (no duplicates).
    expect((await api.createEnvironment(request('prod'))).status).toBe(200);

    expect((await api.destroyEnvironment('prod')).status).toBe(202);
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
      expect((await api.createEnvironment(request('prod-fail'))).status).toBe(
        201,
      );
      const env = await settle('prod-fail');
      expect(env.status).toBe('failed');
      expect(env.reason).toContain(
        'component database (aws-rds-postgres) failed: Injected: no capacity for db.m6g.large in eu-west-1',
      );
      expect(env.reason).toContain('everything created was rolled back');
      expect(proxy.hits()).toBeGreaterThanOrEqual(1);
      expect(env.components.map((c: any) => [c.key, c.status]).sort()).toEqual([
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
    const res = await api.createEnvironment({
      ...request('prod-bad'),
      inputs: {
        database: { instanceClass: 'huge' },
        kubernetes: { nodes: 0 },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'inputs.database: instanceClass: must be an RDS instance class such as db.t3.medium; inputs.kubernetes: nodes: must be a whole number between 1 and 100',
    );
    expect((await api.environment('prod-bad')).status).toBe(404);
  });

  it('offers dev-small, dev-large and production on aws (and local)', async () => {
    const types = (await api.get('/environment-types')).body.items;
    expect(
      types.map((t: any) => [t.type, t.clouds.map((c: any) => c.cloud)]),
    ).toEqual([
      ['dev-large', ['aws', 'local']],
      ['dev-small', ['aws', 'local']],
      ['production', ['aws', 'local']],
    ]);
  });

  it('promotes dev-small on local to production on aws: plan first, then every AWS resource exists', async () => {
    const source = {
      name: 'shop',
      type: 'dev-small',
      cloud: 'local',
      owner: 'group:default/payments',
      inputs: { kubernetes: { nodes: 2 }, database: { server: 'shared' } },
    };
    expect((await api.createEnvironment(source)).status).toBe(201);
    expect((await api.settled('shop')).status).toBe('ready');
    const promotion = { name: 'shop-prod', type: 'production', cloud: 'aws' };
    const plan = await api.call(
      'POST',
      '/environments/shop/promote?dryRun=true',
      promotion,
    );
    expect(plan.status).toBe(200);
    expect(
      plan.body.plan.components.map((c: any) => [c.key, c.driver]),
    ).toEqual([
      ['network', 'aws-vpc'],
      ['objectStore', 'aws-s3-bucket'],
      ['database', 'aws-rds-postgres'],
      ['kubernetes', 'aws-eks'],
    ]);
    expect(plan.body.carried).toEqual({ kubernetes: { nodes: 2 } });
    expect(plan.body.dropped).toEqual([
      {
        path: 'inputs.database.server',
        reason: expect.stringContaining('aws-rds-postgres does not take it'),
      },
    ]);
    // Planning created nothing.
    expect((await api.environment('shop-prod')).status).toBe(404);
    expect((await leftovers(direct)).vpcs).toEqual([]);

    const promoted = await api.call(
      'POST',
      '/environments/shop/promote',
      promotion,
    );
    expect(promoted.status).toBe(201);
    const prod = await settle('shop-prod');
    expect(prod).toMatchObject({
      status: 'ready',
      type: 'production',
      cloud: 'aws',
      owner: 'group:default/payments',
      inputs: { kubernetes: { nodes: 2 } },
    });
    const caps = capabilitiesOf(prod);
    expect(await leftovers(direct)).toEqual({
      vpcs: [caps.network.network_id],
      subnets: expect.arrayContaining(caps.network.subnet_ids as string[]),
      clusters: ['archi-shop-prod-kubernetes'],
      nodegroups: ['archi-shop-prod-kubernetes-nodes'],
      databases: ['archi-shop-prod-database'],
      subnetGroups: ['archi-shop-prod-database-subnets'],
      buckets: ['archi-shop-prod-objectstore'],
    });
    const events = (await api.events('shop')).body.items.map(
      (e: any) => e.message,
    );
    expect(events).toContainEqual(
      expect.stringMatching(/^Promoted to shop-prod \(production on aws\)/),
    );
    expect((await api.destroyEnvironment('shop-prod')).status).toBe(202);
    expect((await settle('shop-prod')).status).toBe('destroyed');
    expect((await api.destroyEnvironment('shop')).status).toBe(202);
    expect((await api.settled('shop')).status).toBe('destroyed');
  });
});
