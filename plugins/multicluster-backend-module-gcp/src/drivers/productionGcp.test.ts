/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import multiclusterPlugin from '@archipelago/multicluster-backend';
import {
  FAKE_SECRET_KEY,
  catalogWithOwners,
  multiclusterApi,
} from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FakeGcp } from '../__testUtils__/fakeGcp';
import gcpModule from '..';

jest.setTimeout(120_000);

const NOTHING = {
  networks: [],
  subnetworks: [],
  clusters: [],
  instances: [],
  buckets: [],
};

/**
 * production on gcp: the real multicluster plugin with this module, its
 * drivers calling Google's client libraries against a fake of the documented
 * REST endpoints (Compute, GKE, Cloud SQL Admin, Cloud Storage, STS), over
 * the plugin's REST API.
 */
describe('production on gcp against the fake', () => {
  const fake = new FakeGcp();
  let dir: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let api: ReturnType<typeof multiclusterApi>;

  beforeAll(async () => {
    await fake.start();
    dir = await mkdtemp(path.join(os.tmpdir(), 'archi-gcp-'));
    const subjectToken = path.join(dir, 'subject-token');
    await writeFile(subjectToken, 'eyJhbGciOiJSUzI1NiJ9.subject.token');
    // An external-account credential whose token exchange goes to the fake STS.
    const credentials = JSON.stringify({
      type: 'external_account',
      audience:
        '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/p',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${fake.endpoint}/v1/token`,
      credential_source: { file: subjectToken },
    });
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        gcpModule,
        catalogWithOwners(['group:default/platform']),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              discovery: { intervalSeconds: 3600 },
              health: { intervalSeconds: 3600, timeoutSeconds: 1 },
              environments: {
                secretKey: FAKE_SECRET_KEY,
                leaseSeconds: 5,
                componentTimeoutMinutes: 1,
                drift: { enabled: false },
                // The fake's clusters have no API server to write to.
                connectionDetails: { enabled: false },
                gcp: {
                  projectId: 'archi-test-project',
                  region: 'europe-west1',
                  endpoint: fake.endpoint,
                  credentials,
                  pollIntervalSeconds: 0.01,
                },
              },
            },
          },
        }),
      ],
    });
    api = multiclusterApi(backend.server);
  });

  afterAll(async () => {
    await backend?.stop();
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (name: string) => ({
    name,
    type: 'production',
    cloud: 'gcp',
    owner: 'group:default/platform',
  });
  const settle = (name: string) => api.settled(name, { timeoutMs: 60_000 });
  const capabilitiesOf = (env: any) =>
    Object.fromEntries(env.components.map((c: any) => [c.key, c.capabilities]));

  it('offers production on gcp with its estimated cost', async () => {
    const types = (await api.get('/environment-types')).body.items;
    expect(
      types.map((t: any) => [t.type, t.clouds.map((c: any) => c.cloud)]),
    ).toEqual([['production', ['gcp']]]);
    const plan = await api.call(
      'POST',
      '/environments?dryRun=true',
      request('plan'),
    );
    expect(plan.body.plan.cost).toEqual({
      currency: 'USD',
      hourly: 0.77,
      monthly: 562.1,
      components: {
        network: 0,
        kubernetes: 0.5,
        database: 0.26,
        objectStore: 0.01,
      },
      unpriced: [],
    });
  });

  it('creates the VPC, GKE cluster, Cloud SQL instance and bucket; updates in place; destroys them', async () => {
    expect((await api.createEnvironment(request('prod'))).status).toBe(201);
    const env = await settle('prod');
    expect(env.status).toBe('ready');
    const caps = capabilitiesOf(env);
    expect(caps.network).toEqual({
      network_id:
        'projects/archi-test-project/global/networks/archi-prod-network',
      subnet_ids: [
        'projects/archi-test-project/regions/europe-west1/subnetworks/archi-prod-network-subnet',
      ],
      region: 'europe-west1',
    });
    expect(caps.kubernetes).toEqual({
      endpoint: 'https://127.0.0.1',
      cluster_id: 'archi-prod-kubernetes',
      version: '1.31.4-gke.100',
    });
    expect(caps.database).toMatchObject({
      host: expect.stringMatching(/^10\.99\.0\.\d+$/),
      port: 5432,
      database: 'archi_prod_database',
      master_username: 'archipelago',
      master_password: {
        secretRef: 'multicluster:environment/prod/database/master_password',
      },
    });
    expect(caps.objectStore).toEqual({
      bucket_url: `${fake.endpoint}/archi-prod-objectstore`,
      bucket: 'archi-prod-objectstore',
      region: 'europe-west1',
    });
    expect(fake.inventory()).toEqual({
      networks: [
        'projects/archi-test-project/global/networks/archi-prod-network',
      ],
      subnetworks: [
        'projects/archi-test-project/regions/europe-west1/subnetworks/archi-prod-network-subnet',
      ],
      clusters: [
        'projects/archi-test-project/locations/europe-west1/clusters/archi-prod-kubernetes',
      ],
      instances: ['projects/archi-test-project/instances/archi-prod-database'],
      buckets: ['archi-prod-objectstore'],
    });
    const instance = fake.instances.get(
      'projects/archi-test-project/instances/archi-prod-database',
    )!;
    expect(instance.settings).toMatchObject({
      tier: 'db-custom-2-7680',
      availabilityType: 'REGIONAL',
      ipConfiguration: {
        ipv4Enabled: false,
        privateNetwork: caps.network.network_id,
      },
    });
    expect(instance.users).toEqual({
      archipelago: { name: 'archipelago', passwordSet: true },
    });
    expect(fake.buckets.get('archi-prod-objectstore')).toMatchObject({
      versioning: { enabled: true },
      labels: expect.objectContaining({
        'archipelago-dev_environment': 'prod',
      }),
    });

    // Update: more nodes and a bigger database, both in place.
    const plan = await api.call('PUT', '/environments/prod?dryRun=true', {
      inputs: {
        kubernetes: { nodes: 5 },
        database: { tier: 'db-custom-4-15360' },
      },
    });
    expect(
      plan.body.plan.components.map((c: any) => [c.key, c.action]),
    ).toEqual([
      ['network', 'unchanged'],
      ['objectStore', 'unchanged'],
      ['database', 'update'],
      ['kubernetes', 'update'],
    ]);
    const applied = await api.call('PUT', '/environments/prod', {
      inputs: {
        kubernetes: { nodes: 5 },
        database: { tier: 'db-custom-4-15360' },
      },
    });
    expect(applied.status).toBe(202);
    const updated = await settle('prod');
    expect(updated).toMatchObject({ status: 'ready', revision: 2 });
    expect(instance.settings.tier).toBe('db-custom-4-15360');
    expect(
      fake.clusters.get(
        'projects/archi-test-project/locations/europe-west1/clusters/archi-prod-kubernetes',
      )!.nodePools[0].initialNodeCount,
    ).toBe(5);
    // The PostgreSQL version never changes in place.
    const refused = await api.call('PUT', '/environments/prod', {
      inputs: { database: { databaseVersion: 'POSTGRES_15' } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'inputs.database.databaseVersion: gcp-cloudsql-postgres cannot change databaseVersion of an existing database',
    );

    expect((await api.destroyEnvironment('prod')).status).toBe(202);
    expect((await settle('prod')).status).toBe('destroyed');
    expect(fake.inventory()).toEqual(NOTHING);
  });

  it('rolls back with nothing left in the fake when Cloud SQL fails', async () => {
    fake.faults.push({
      method: 'POST',
      path: /^\/v1\/projects\/[^/]+\/instances$/,
      operation: true,
      code: 'INTERNAL_ERROR',
      message: 'Injected: an internal error has occurred',
    });
    expect((await api.createEnvironment(request('prod-fail'))).status).toBe(
      201,
    );
    const env = await settle('prod-fail');
    expect(env.status).toBe('failed');
    expect(env.reason).toContain(
      'component database (gcp-cloudsql-postgres) failed: Injected: an internal error has occurred',
    );
    expect(env.reason).toContain('everything created was rolled back');
    expect(fake.inventory()).toEqual(NOTHING);
    expect(fake.faults).toEqual([]);
  });
});
