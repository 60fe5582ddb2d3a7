/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ChangeResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import multiclusterPlugin from '@archipelago/multicluster-backend';
import { startFleet, type Fleet } from '@archipelago/kube-emulator';
import type { ClusterProvider } from '@archipelago/multicluster-node';
import {
  capturingLoggerFactory,
  createMulticlusterTestModule,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { type Moto, startMoto } from '../__testUtils__/moto';
import { multiclusterModuleAws } from '../module';
import {
  createZone,
  directClient,
  healthCheckIds,
  TEST_KEYS,
  zoneRecords,
} from './__testUtils__/route53';

jest.setTimeout(180_000);

const ZONE = 'example.com';
const HOST = `shop.${ZONE}`;
const DNS_TASK = 'multicluster-dns';
const WORKLOADS_TASK = 'multicluster-workloads';

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop, labels: { app: shop } }
spec:
  replicas: 1
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec: { containers: [{ name: shop, image: nginx:1.27 }] }
---
apiVersion: v1
kind: Service
metadata: { name: shop }
spec:
  type: LoadBalancer
  selector: { app: shop }
  ports: [{ port: 80, targetPort: 8080 }]
`;

/** Three emulated clusters in three clouds, each role its own token. */
function fleetProvider(fleet: Fleet): ClusterProvider {
  const labels: Array<Record<string, string>> = [
    { cloud: 'aws' },
    { cloud: 'azure', 'archipelago.dev/geo': 'EU' },
    { cloud: 'gcp', 'archipelago.dev/geo': 'AS' },
  ];
  const regions = ['us-east-1', 'westeurope', 'asia-east1'];
  return {
    getProviderId: () => 'dns-fleet',
    discover: async () => ({
      complete: true,
      clusters: labels.map((l, i) => {
        const c = fleet.cluster(i + 1);
        const bearer = (token: string) => async () => ({
          type: 'bearer' as const,
          token,
        });
        return {
          sourceId: c.name,
          name: c.name,
          url: c.url,
          caData: c.caData,
          cloud: 'local' as const,
          region: regions[i],
          labels: l,
          credentials: bearer(c.tokens.admin),
          roleCredentials: {
            probe: bearer(c.tokens.probe),
            view: bearer(c.tokens.view),
            deploy: bearer(c.tokens.deploy),
          },
        };
      }),
    }),
  };
}

const foreign: ResourceRecordSet = {
  Name: `${HOST}.`,
  Type: 'A',
  SetIdentifier: 'manual-oc',
  GeoLocation: { ContinentCode: 'OC' },
  TTL: 300,
  ResourceRecords: [{ Value: '192.0.2.77' }],
};

/**
 * Acceptance (issue 14, Route53): the real plugin with the AWS module on
 * moto's Route53, an emulated fleet; the zone read back through the AWS SDK.
 */
describe('health-checked geo DNS in Route53 (moto)', () => {
  let moto: Moto;
  let fleet: Fleet;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let zoneId: string;
  const lines: string[] = [];
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory;
    waitForTask(id: string): Promise<void>;
  };
  const api = () => request(backend.server);
  const run = async (id: string) => {
    const done = scheduler.waitForTask(id);
    await scheduler.triggerTask(id).catch(() => undefined);
    await done;
  };
  const aws = () => directClient(moto.endpoint);
  /** The A answers of the name: set identifier → addresses. */
  const answers = async () =>
    Object.fromEntries(
      (await zoneRecords(aws(), zoneId))
        .filter(r => r.Type === 'A' && r.Name === `${HOST}.`)
        .map(r => [
          r.SetIdentifier,
          (r.ResourceRecords ?? []).map(v => v.Value).join(','),
        ]),
    );
  const admin = (i: number, action: 'stop' | 'start') =>
    fetch(`${fleet.adminUrl}/clusters/${fleet.cluster(i).name}/${action}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${fleet.adminToken}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });

  beforeAll(async () => {
    moto = await startMoto();
    zoneId = await createZone(aws(), ZONE);
    await aws().send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [{ Action: 'CREATE', ResourceRecordSet: foreign }],
        },
      }),
    );
    fleet = await startFleet({
      clusters: 3,
      nodes: 1,
      adminPort: 0,
      podReadyDelayMs: 50,
    });
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        multiclusterModuleAws,
        createMulticlusterTestModule({ providers: [fleetProvider(fleet)] }),
        scheduler.factory(),
        capturingLoggerFactory(lines),
        mockServices.rootConfig.factory({
          data: {
            multicluster: {
              providers: {
                aws: {
                  // Route53 only: EKS and STS on moto too, so nothing leaves the machine.
                  prod: {
                    regions: ['us-east-1'],
                    ...TEST_KEYS,
                    endpoints: {
                      eks: moto.endpoint,
                      sts: moto.endpoint,
                      route53: moto.endpoint,
                    },
                  },
                },
              },
              health: {
                intervalSeconds: 3600,
                timeoutSeconds: 1,
                flapThreshold: 1,
              },
              discovery: { intervalSeconds: 3600 },
              workloads: {
                intervalSeconds: 3600,
                pollMilliseconds: 100,
                clusterTimeoutSeconds: 5,
                requestTimeoutSeconds: 2,
                failover: { graceSeconds: 3600 },
              },
              dns: {
                intervalSeconds: 3600,
                requestTimeoutSeconds: 2,
                ownerId: 'it-portal',
                zones: [
                  {
                    name: ZONE,
                    provider: 'route53',
                    account: 'prod',
                    hostedZoneId: zoneId,
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const refreshed = await api().post('/api/multicluster/clusters/refresh');
    if (refreshed.status !== 202)
      throw new Error(`refresh answered ${refreshed.status}`);
    await waitFor(
      async () =>
        (
          await api().get('/api/multicluster/clusters')
        ).body.items?.filter((c: any) => c.status.health === 'healthy')
          .length === 3,
      { what: 'three healthy clusters', timeoutMs: 30_000, intervalMs: 200 },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await fleet?.stop();
    await moto?.stop();
  });

  it('publishes the workload, drops a stopped cluster within one round, and takes it back', async () => {
    const created = await api()
      .post('/api/multicluster/workloads')
      .send({
        name: 'shop',
        owner: 'group:default/team-a',
        namespace: 'shop',
        manifests,
        placement: { clusterNames: [1, 2, 3].map(i => fleet.cluster(i).name) },
        dns: {
          hostname: HOST,
          policy: 'geolocation',
          default: fleet.cluster(1).name,
          ttl: 60,
        },
      });
    expect(created.status).toBe(201);
    await waitFor(
      async () => {
        await run(WORKLOADS_TASK);
        const w = (await api().get('/api/multicluster/workloads/shop')).body;
        return w.status?.phase === 'Available';
      },
      {
        what: 'the workload to be available',
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    await run(DNS_TASK);

    const first = await answers();
    const ids = Object.keys(first).sort();
    expect(ids).toHaveLength(5); // three geographies, the default, manual-oc
    expect(first['manual-oc']).toBe('192.0.2.77');
    const txt = (await zoneRecords(aws(), zoneId)).filter(
      r => r.Type === 'TXT',
    );
    expect(txt).toHaveLength(4);
    expect(txt[0].ResourceRecords![0].Value).toContain(
      'heritage=archipelago,archipelago/owner=it-portal,archipelago/resource=workload/shop',
    );
    expect(await healthCheckIds(aws())).toHaveLength(4);
    const status = (await api().get('/api/multicluster/workloads/shop/dns'))
      .body;
    const europe = status.clusters.find(
      (c: any) => c.cluster === fleet.cluster(2).name,
    ).address;
    const europeId = ids.find(id => first[id] === europe)!;
    expect(europeId).toBeDefined();

    // The European cluster stops: one probe round, one DNS round.
    expect((await admin(2, 'stop')).status).toBeLessThan(300);
    await api().post('/api/multicluster/clusters/refresh');
    await waitFor(
      async () => {
        await run(DNS_TASK);
        return !(europeId in (await answers()));
      },
      { what: 'Europe to leave the zone', timeoutMs: 30_000, intervalMs: 300 },
    );
    expect((await answers())['manual-oc']).toBe('192.0.2.77');
    expect(await healthCheckIds(aws())).toHaveLength(3);

    // It restarts: back in the zone.
    await admin(2, 'start');
    await api().post('/api/multicluster/clusters/refresh');
    await waitFor(
      async () => {
        await run(DNS_TASK);
        return (await answers())[europeId] === europe;
      },
      { what: 'Europe to come back', timeoutMs: 30_000, intervalMs: 300 },
    );
    expect(await healthCheckIds(aws())).toHaveLength(4);

    // The workload goes: so do its records and checks, not the foreign one.
    expect(
      (await api().delete('/api/multicluster/workloads/shop')).status,
    ).toBeLessThan(300);
    await waitFor(
      async () => {
        await run(WORKLOADS_TASK);
        await run(DNS_TASK);
        return Object.keys(await answers()).length === 1;
      },
      { what: 'the records to be removed', timeoutMs: 30_000, intervalMs: 300 },
    );
    expect(await answers()).toEqual({ 'manual-oc': '192.0.2.77' });
    expect(await healthCheckIds(aws())).toEqual([]);
    // No credential in any log line.
    expect(lines.join('\n')).not.toContain(TEST_KEYS.secretAccessKey);
  });
});
