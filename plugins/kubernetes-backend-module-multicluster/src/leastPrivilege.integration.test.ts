/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The acceptance test runs the real inventory, its local module and the example policy next to
// the Kubernetes plugin; the module itself only talks to the inventory over REST.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import multiclusterPlugin from '@archipelago/multicluster-backend';
import localModule from '@archipelago/multicluster-backend-module-local';
import policyModule from '@archipelago/permission-backend-module-multicluster-policy';
import {
  actorAwareMockAuthFactory,
  waitFor,
} from '@archipelago/multicluster-node-test-utils';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { kubernetesModuleMulticluster } from './module';

jest.setTimeout(180_000);

/** Who belongs to what, by full entity ref. */
const OWNERSHIP: Record<string, string[]> = {
  'user:default/ada': ['user:default/ada', 'group:default/platform-admins'],
  'user:default/pat': ['user:default/pat', 'group:default/payments'],
  // A group named payments, in another namespace: not team payments.
  'user:default/sam': ['user:default/sam', 'group:other/payments'],
};
const ADMIN_TOKEN = 'acceptance-admin-token-0123456789';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments' },
  },
  spec: { type: 'service', owner: 'group:default/payments', lifecycle: 'x' },
};

interface EmulatedClusterInfo {
  name: string;
  url: string;
  caData: string;
  tokens: Record<'admin' | 'deploy' | 'view' | 'probe', string>;
}

/**
 * A free port below the ephemeral range (which starts at 32768 on Linux), so
 * that no server of the test backend, listening on port 0, takes it first.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise<boolean>(resolve => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** One HTTPS call to an emulated API server. */
function kube(
  cluster: EmulatedClusterInfo,
  method: string,
  pathname: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${cluster.url}${pathname}`,
      {
        method,
        ca: cluster.caData,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text.startsWith('{') ? JSON.parse(text) : text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * Acceptance of issue 12: a backend with the multicluster plugin (an emulated
 * fleet from the local module, its clusters labelled with teams), Backstage's
 * Kubernetes plugin fed by this module, and the example permission policy in
 * the real permission backend. A user outside every admin group sees, through
 * the Kubernetes plugin, only the clusters of their team; the proxy is closed
 * to them; every credential the Kubernetes plugin holds is read-only; and no
 * answer of the Kubernetes plugin to them carries a secret.
 */
describe('least privilege through the Kubernetes plugin', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let dataDir: string;
  let fleet: EmulatedClusterInfo[];
  /** Every answer the Kubernetes plugin gave a user who is not an admin. */
  const answers: Array<{ what: string; text: string }> = [];

  const as = (user: string) => ({
    authorization: mockCredentials.user.header(user),
  });
  const kubernetes = async (
    user: string,
    method: 'get' | 'post',
    url: string,
    body?: object,
    headers: Record<string, string> = {},
  ) => {
    let req = request(backend.server)
      [method](`/api/kubernetes${url}`)
      .set(as(user))
      .set(headers);
    if (body) req = req.send(body);
    const res = await req;
    if (user !== 'user:default/ada')
      answers.push({ what: `${method} ${url} as ${user}`, text: res.text });
    return res;
  };
  const clusterNames = async (user: string) =>
    (await kubernetes(user, 'get', '/clusters')).body.items
      .map((c: { name: string }) => c.name)
      .sort();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-least-privilege-'));
    const adminPort = await freePort();
    backend = await startTestBackend({
      features: [
        multiclusterPlugin,
        localModule,
        kubernetesPlugin,
        kubernetesModuleMulticluster,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        catalogServiceMock.factory({ entities: [entity] }),
        // On-behalf-of tokens name the plugin acting for the user, as real ones do (the
        // permission backend answers conditional decisions only to plugins).
        actorAwareMockAuthFactory(),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: OWNERSHIP[ref] ?? [ref],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              multicluster: { refreshIntervalSeconds: 1 },
            },
            multicluster: {
              examplePolicy: { adminGroups: ['group:default/platform-admins'] },
              // payments, platform, search, payments (EMULATOR_PLACEMENTS' teams).
              providers: {
                emulator: {
                  clusters: 4,
                  nodesPerCluster: 1,
                  degraded: false,
                  adminPort,
                  adminToken: ADMIN_TOKEN,
                },
              },
              connections: { allowedPlugins: { view: ['kubernetes'] } },
              environments: {
                secretKey: 'test-only-environments-key-0123456789abcdef',
                dataDir,
              },
              health: { timeoutSeconds: 2 },
              discovery: { intervalSeconds: 3600 },
            },
          },
        }),
      ],
    });
    // Discovery (which starts the fleet) and a probe round now, as an admin.
    const refresh = await request(backend.server)
      .post('/api/multicluster/clusters/refresh')
      .set(as('user:default/ada'));
    if (refresh.status !== 202)
      throw new Error(`refresh answered ${refresh.status} ${refresh.text}`);
    fleet = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${adminPort}/clusters`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        }).catch(() => undefined);
        return res?.ok ? (await res.json()).items : undefined;
      },
      { what: 'the emulated fleet' },
    );
    // A workload of the payments component on every cluster, written as the test's admin.
    for (const cluster of fleet) {
      const labels = { app: 'web', 'backstage.io/kubernetes-id': 'payments' };
      const created = await kube(
        cluster,
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        cluster.tokens.admin,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `web-${cluster.name}`, labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels },
              spec: { containers: [{ name: 'web', image: 'web:1' }] },
            },
          },
        },
      );
      if (created.status !== 201)
        throw new Error(
          `creating web-${cluster.name} answered ${created.status}`,
        );
    }
    await waitFor(
      async () =>
        (await clusterNames('user:default/ada')).length === 4
          ? true
          : undefined,
      { what: 'the Kubernetes plugin to list the fleet', timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('closes the proxy to users outside the admin groups', async () => {
    const res = await kubernetes(
      'user:default/pat',
      'get',
      '/proxy/api/v1/namespaces',
      undefined,
      { 'Backstage-Kubernetes-Cluster': 'emulator-1' },
    );
    expect(res.status).toBe(403);
    // An admin gets through, with the view identity: reading works.
    const admin = await kubernetes(
      'user:default/ada',
      'get',
      '/proxy/api/v1/namespaces',
      undefined,
      { 'Backstage-Kubernetes-Cluster': 'emulator-1' },
    );
    expect(admin.status).toBe(200);
  });

  it("lists only the user's team's clusters in the Kubernetes plugin", async () => {
    expect(await clusterNames('user:default/pat')).toEqual([
      'emulator-1',
      'emulator-4',
    ]);
    // group:other/payments is not team payments.
    expect(await clusterNames('user:default/sam')).toEqual([]);
    expect(await clusterNames('user:default/ada')).toEqual([
      'emulator-1',
      'emulator-2',
      'emulator-3',
      'emulator-4',
    ]);
  });

  it("answers an entity's workloads query from the user's team's clusters only", async () => {
    const res = await kubernetes(
      'user:default/pat',
      'post',
      '/resources/workloads/query',
      { entityRef: 'component:default/payments', auth: {} },
    );
    expect([res.status, res.status === 200 ? '' : res.text]).toEqual([200, '']);
    const byCluster = Object.fromEntries(
      res.body.items.map((i: any) => [
        i.cluster.name,
        i.resources
          .filter((r: any) => r.type === 'deployments')
          .flatMap((r: any) => r.resources.map((d: any) => d.metadata.name)),
      ]),
    );
    expect(byCluster).toEqual({
      'emulator-1': ['web-emulator-1'],
      'emulator-4': ['web-emulator-4'],
    });
  });

  it('gives the Kubernetes plugin only read-only identities: every write is refused by the cluster', async () => {
    const res = await request(backend.server)
      .get(
        `/api/multicluster/internal/connections?ids=${(
          await request(backend.server)
            .get('/api/multicluster/clusters')
            .set(as('user:default/ada'))
        ).body.items
          .map((c: { id: string }) => c.id)
          .join(',')}`,
      )
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:kubernetes'),
          targetPluginId: 'multicluster',
        }),
      );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(4);
    for (const connection of res.body.items) {
      const cluster = fleet.find(c => c.name === connection.name)!;
      // The view identity, not the admin's, deploy's or probe's.
      expect(connection.serviceAccountToken).toBe(cluster.tokens.view);
      const writes = [
        await kube(
          cluster,
          'POST',
          '/api/v1/namespaces',
          connection.serviceAccountToken,
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'intruder' },
          },
        ),
        await kube(
          cluster,
          'DELETE',
          `/apis/apps/v1/namespaces/default/deployments/web-${cluster.name}`,
          connection.serviceAccountToken,
        ),
        await kube(
          cluster,
          'GET',
          '/api/v1/namespaces/default/secrets',
          connection.serviceAccountToken,
        ),
      ];
      expect(writes.map(w => [w.status, w.body.kind, w.body.reason])).toEqual([
        [403, 'Status', 'Forbidden'],
        [403, 'Status', 'Forbidden'],
        [403, 'Status', 'Forbidden'],
      ]);
    }
  });

  it('returns no secret to a user who is not an admin', async () => {
    // Every route the Kubernetes page uses, as pat.
    await kubernetes('user:default/pat', 'post', '/services/payments', {
      entity,
    });
    await kubernetes('user:default/pat', 'get', '/clusters');
    expect(answers.length).toBeGreaterThan(3);
    const secrets = fleet.flatMap(c => Object.values(c.tokens));
    secrets.push(ADMIN_TOKEN);
    const leaks: string[] = [];
    for (const { what, text } of answers) {
      for (const secret of secrets)
        if (text.includes(secret)) leaks.push(`${what}: a cluster token`);
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
        leaks.push(`${what}: a PEM private key`);
      for (const m of text.matchAll(
        /"(serviceAccountToken|token|bearerToken|password)"\s*:\s*"([^"]{8,})"/g,
      ))
        leaks.push(`${what}: "${m[1]}" has a plain value`);
    }
    expect(leaks).toEqual([]);
  });
});
