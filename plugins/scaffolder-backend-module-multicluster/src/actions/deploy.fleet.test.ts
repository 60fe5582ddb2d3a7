/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMulticlusterService } from '@archipelago/multicluster-node';
import { type Fleet, startFleet } from '@archipelago/kube-emulator';
import { planReplicas } from '@archipelago/multicluster-common';
import { mockServices } from '@backstage/backend-test-utils';
import { deployContext } from '../deploy/__testUtils__/context';
import { startFakeMulticluster } from '../deploy/__testUtils__/fakeMulticluster';
import { Kubectl } from '../deploy/__testUtils__/kubectl';
import { actorAwareMockAuth } from '@archipelago/multicluster-node-test-utils';
import { createDeployAction } from './deploy';

jest.setTimeout(120_000);

const CLOUDS = ['aws', 'gcp', 'azure', 'aws'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];
const REGION_WEIGHT: Record<string, number> = {
  'eu-west-1': 3,
  'us-east-1': 2,
  'ap-south-1': 1,
};
const TLS_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDfakekey\n-----END PRIVATE KEY-----\n';
const TLS_KEY_B64 = Buffer.from(TLS_KEY).toString('base64');

const manifests = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          volumeMounts: [{ name: tls, mountPath: /etc/tls }]
      volumes: [{ name: tls, secret: { secretName: web-tls } }]
---
apiVersion: v1
kind: Secret
metadata: { name: web-tls }
type: kubernetes.io/tls
data:
  tls.crt: ${Buffer.from(
    '-----BEGIN CERTIFICATE-----\nMIIBfakecert\n-----END CERTIFICATE-----\n',
  ).toString('base64')}
  tls.key: ${TLS_KEY_B64}
---
apiVersion: v1
kind: ConfigMap
metadata: { name: web-config }
data: { greeting: hello }
`;

/**
 * Acceptance: 20 emulated clusters labelled by cloud and region; a selector
 * picks the AWS and GCP ones; 30 replicas weighted by region. The real
 * kubectl on each cluster shows the planned replicas; unreachable clusters
 * (known to the inventory, or only found at deploy time) are skipped and
 * reported; the TLS Secret propagates without its data ever being logged.
 */
describe('multicluster:deploy on a fleet of 20 clusters', () => {
  let fleet: Fleet;
  let fake: Awaited<ReturnType<typeof startFakeMulticluster>>;
  const labels = (i: number) => ({
    cloud: CLOUDS[i % CLOUDS.length],
    region: REGIONS[i % REGIONS.length],
    fleet: 'test',
  });

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 20,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 100,
    });
    // Known unreachable (the inventory says so), refusing but stale in the inventory, and hanging.
    await fleet.cluster(1).setFaults({ refuse: true });
    await fleet.cluster(5).setFaults({ refuse: true });
    await fleet.cluster(6).setFaults({ hang: true });
    fake = await startFakeMulticluster(
      fleet.clusters.map((cluster, i) => ({
        cluster,
        labels: labels(i),
        health: i === 0 ? 'unreachable' : 'healthy',
      })),
    );
  });

  afterAll(async () => {
    await fake?.stop();
    await fleet?.stop();
  });

  it('places the planned replicas, reports excluded and unreached clusters', async () => {
    const selected = fleet.clusters.filter((_, i) =>
      ['aws', 'gcp'].includes(labels(i).cloud),
    );
    const unreachable = ['emulator-1', 'emulator-5', 'emulator-6'];
    const reachable = selected
      .map(c => c.name)
      .filter(n => !unreachable.includes(n));
    const preferences = Object.fromEntries(
      fleet.clusters.map((c, i) => [
        c.name,
        { weight: REGION_WEIGHT[labels(i).region] },
      ]),
    );
    const action = createDeployAction({
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
      multicluster: createMulticlusterService({
        auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
        discovery: fake.discovery as any,
      }),
      requestTimeoutMs: 2000,
    });
    const { ctx, logger, outputs } = deployContext({
      namespace: 'shop',
      manifests,
      placement: { clusterSelector: 'cloud in (aws,gcp),fleet=test' },
      replicas: { totalReplicas: 30, preferences },
      rollout: { maxConcurrent: 5, timeoutSeconds: 60 },
    });
    await action.handler(ctx as any);

    const expected = planReplicas({
      totalReplicas: 30,
      clusters: reachable,
      preferences,
      current: {},
      capacity: {},
      key: 'shop/web',
    }).plan;
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(30);
    expect(outputs.plan).toEqual(
      reachable.map(name => ({
        cluster: name,
        replicas: { 'shop/web': expected[name] },
      })),
    );

    // The real kubectl on every cluster that answers: the planned replicas, ready, with the Secret and
    // ConfigMap beside them where selected; nothing where not selected (azure).
    const observed: Record<string, { objects: string[]; tlsKey: string }> = {};
    const wanted: Record<string, { objects: string[]; tlsKey: string }> = {};
    const unselectedClouds = new Set<string>();
    for (const [i, cluster] of fleet.clusters.entries()) {
      if (unreachable.includes(cluster.name)) continue;
      const kubectl = new Kubectl(cluster);
      try {
        const objects = await kubectl.run([
          'get',
          'deploy,secret,configmap',
          '-n',
          'shop',
          '-o',
          'jsonpath={range .items[*]}{.kind}/{.metadata.name}:{.spec.replicas}:{.status.readyReplicas}{"\\n"}{end}',
        ]);
        const tlsKey = await kubectl.run([
          'get',
          'secret',
          'web-tls',
          '-n',
          'shop',
          '-o',
          'jsonpath={.data.tls\\.key}',
        ]);
        observed[cluster.name] = {
          objects: objects.stdout
            .trim()
            .split('\n')
            .filter(l => l && !l.startsWith('ConfigMap/kube-root-ca.crt'))
            .sort(),
          tlsKey: tlsKey.stdout,
        };
      } finally {
        kubectl.cleanup();
      }
      const n = expected[cluster.name];
      wanted[cluster.name] = reachable.includes(cluster.name)
        ? {
            objects: [
              'ConfigMap/web-config::',
              `Deployment/web:${n}:${n === 0 ? '' : n}`,
              'Secret/web-tls::',
            ],
            tlsKey: TLS_KEY_B64,
          }
        : { objects: [], tlsKey: '' };
      if (!reachable.includes(cluster.name))
        unselectedClouds.add(labels(i).cloud);
    }
    expect(observed).toEqual(wanted);
    expect([...unselectedClouds]).toEqual(['azure']);

    const byCluster = Object.fromEntries(
      outputs.results.map((r: any) => [r.cluster, r]),
    );
    for (const name of reachable) {
      expect(byCluster[name]).toMatchObject({
        status: 'ready',
        replicas: { 'shop/web': expected[name] },
      });
    }
    expect(byCluster['emulator-1']).toMatchObject({
      status: 'excluded',
      message: expect.stringMatching(/^unreachable: /),
    });
    // Refused — or a TLS error when another process reused the stopped port.
    expect(byCluster['emulator-5']).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(
        /^unreachable: .*(connection refused|EPROTO)/,
      ),
    });
    expect(byCluster['emulator-6']).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(
        /^unreachable: .*no answer within 2000 ms/,
      ),
    });
    expect(outputs.results).toHaveLength(selected.length);
    expect(outputs.summary).toEqual({
      ready: reachable.length,
      applied: 0,
      failed: 0,
      skipped: 2,
      excluded: 1,
      rolledBack: 0,
    });

    // Per-cluster progress in the log; the Secret's data nowhere.
    for (const name of reachable)
      expect(
        logger.lines.some(l => l.includes(`${name}: ready - rolled out in`)),
      ).toBe(true);
    const everything = JSON.stringify(outputs) + logger.lines.join('\n');
    for (const leak of [
      TLS_KEY_B64,
      TLS_KEY,
      'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDfakekey',
    ]) {
      expect(everything).not.toContain(leak);
    }

    // The cluster list was read on behalf of the user, connection details by the scaffolder plugin on their behalf.
    expect(
      fake.requests
        .filter(r => r.path.startsWith('/api/multicluster/clusters'))
        .every(r => r.obo === 'user:default/alice'),
    ).toBe(true);
    expect(
      fake.requests
        .filter(r => r.path.startsWith('/api/multicluster/internal'))
        .every(
          r => r.sub === 'plugin:scaffolder' && r.obo === 'user:default/alice',
        ),
    ).toBe(true);
    expect(
      fake.requests.some(r =>
        r.path.includes('selector=cloud+in+%28aws%2Cgcp%29%2Cfleet%3Dtest'),
      ),
    ).toBe(true);
  });
});
