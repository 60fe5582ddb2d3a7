/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startCluster } from './cluster';
import { Fleet, startFleet } from './fleet';
import { call } from './__testUtils__/http';
import { Kubectl } from './__testUtils__/kubectl';

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team-a}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: team-a}
stringData: {password: s3cret}
`;

describe('roles: each token is enforced like RBAC on a real API server', () => {
  let fleet: Fleet;
  let kubectl: Kubectl;
  const as = (role: string, args: string[]) =>
    kubectl.run(['--context', `emulator-1-${role}`, ...args]);

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 1,
      nodes: 2,
      podReadyDelayMs: 20,
      adminPort: null,
    });
    kubectl = new Kubectl(
      fleet.kubeconfigYaml({ roles: ['admin', 'deploy', 'view', 'probe'] }),
    );
  });

  afterAll(async () => {
    await fleet?.stop();
    kubectl?.cleanup();
  });

  it('issues four distinct tokens and a context per role', () => {
    const c = fleet.cluster(1);
    expect(new Set(Object.values(c.tokens)).size).toBe(4);
    expect(c.adminToken).toBe(c.tokens.admin);
    expect(c.readOnlyToken).toBe(c.tokens.view);
    const config = fleet.kubeconfig({ role: 'probe', roles: ['view'] });
    expect(config.contexts.map(x => [x.name, x.context.user])).toEqual([
      ['emulator-1', 'emulator-1-probe'],
      ['emulator-1-view', 'emulator-1-view'],
    ]);
    expect(config.users.map(u => u.user.token)).toEqual([
      c.tokens.probe,
      c.tokens.view,
    ]);
    expect(c.kubeconfig({ role: 'deploy' }).users[0].user.token).toBe(
      c.tokens.deploy,
    );
  });

  it('deploy: writes namespaced objects and Secrets, creates namespaces, nothing cluster-wide', async () => {
    expect((await as('deploy', ['create', 'namespace', 'team-a'])).code).toBe(
      0,
    );
    const applied = await as('deploy', [
      'apply',
      '-f',
      kubectl.file('app.yaml', DEPLOYMENT),
    ]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('deployment.apps/web created');
    expect(applied.stdout).toContain('secret/db created');
    expect(
      (await as('deploy', ['-n', 'team-a', 'get', 'secret', 'db'])).code,
    ).toBe(0);
    expect(
      (await as('deploy', ['label', 'namespace', 'team-a', 'tier=apps'])).code,
    ).toBe(0);

    // kubectl cordon reports the error but exits 0.
    const cordon = await as('deploy', ['cordon', 'emulator-1-node-1']);
    expect(cordon.stderr).toContain(
      'nodes "emulator-1-node-1" is forbidden: User "archipelago-deploy" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
    const dropNs = await as('deploy', ['delete', 'namespace', 'team-a']);
    expect(dropNs.stderr).toContain(
      'namespaces "team-a" is forbidden: User "archipelago-deploy" cannot delete resource "namespaces" in API group "" at the cluster scope',
    );
    const quota = await as('deploy', [
      '-n',
      'team-a',
      'create',
      'quota',
      'q',
      '--hard=pods=10',
    ]);
    expect(quota.stderr).toContain(
      'User "archipelago-deploy" cannot create resource "resourcequotas"',
    );
    expect(
      (await as('deploy', ['auth', 'can-i', 'delete', 'namespaces'])).stdout,
    ).toBe('no\n');
    expect(
      (await as('deploy', ['auth', 'can-i', 'create', 'secrets', '-n', 'x']))
        .stdout,
    ).toBe('yes\n');
  });

  it('view: reads all but Secrets; every write gets the Forbidden Status of a real server', async () => {
    const pods = await as('view', ['-n', 'team-a', 'get', 'deployments']);
    expect(pods.stdout).toMatch(/^web\s/m);
    expect((await as('view', ['get', 'nodes'])).code).toBe(0);
    expect((await as('view', ['get', 'namespaces'])).stdout).toContain(
      'team-a',
    );

    const secrets = await as('view', ['-n', 'team-a', 'get', 'secrets']);
    expect(secrets.code).toBe(1);
    expect(secrets.stderr).toContain(
      'Error from server (Forbidden): secrets is forbidden: User "archipelago-view" cannot list resource "secrets" in API group "" in the namespace "team-a"',
    );
    const secret = await as('view', ['-n', 'team-a', 'get', 'secret', 'db']);
    expect(secret.stderr).toContain(
      'secrets "db" is forbidden: User "archipelago-view" cannot get resource "secrets" in API group "" in the namespace "team-a"',
    );
    expect(secret.stdout).not.toContain('s3cret');

    const scale = await as('view', [
      '-n',
      'team-a',
      'scale',
      'deployment',
      'web',
      '--replicas=3',
    ]);
    expect(scale.stderr).toContain(
      'deployments.apps "web" is forbidden: User "archipelago-view" cannot patch resource "deployments/scale" in API group "apps" in the namespace "team-a"',
    );
    const ssa = await as('view', [
      'apply',
      '--server-side',
      '-f',
      kubectl.file('app.yaml', DEPLOYMENT),
    ]);
    expect(ssa.stderr).toContain(
      'deployments.apps "web" is forbidden: User "archipelago-view" cannot patch resource "deployments" in API group "apps" in the namespace "team-a"',
    );
    expect(
      fleet.cluster(1).store.get('deployments', 'web', 'team-a')!.spec.replicas,
    ).toBe(1);

    // The Status body itself, field by field.
    const c = fleet.cluster(1);
    const res = await call(
      c,
      '/apis/apps/v1/namespaces/default/deployments/web?fieldManager=x',
      {
        token: c.tokens.view,
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
      },
    );
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'deployments.apps "web" is forbidden: User "archipelago-view" cannot patch resource "deployments" in API group "apps" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 403,
    });

    expect(
      (await as('view', ['auth', 'can-i', 'create', 'deployments'])).stdout,
    ).toBe('no\n');
    expect(
      (await as('view', ['auth', 'can-i', 'list', 'pods', '-A'])).stdout,
    ).toBe('yes\n');
    expect((await as('view', ['auth', 'can-i', 'get', 'secrets'])).stdout).toBe(
      'no\n',
    );
    const whoami = await as('view', ['auth', 'whoami', '-o', 'json']);
    expect(JSON.parse(whoami.stdout).status.userInfo).toEqual({
      username: 'archipelago-view',
      groups: ['system:authenticated'],
    });
  });

  it('probe: health, version, discovery and nodes only', async () => {
    expect((await as('probe', ['get', 'nodes', '-o', 'name'])).stdout).toBe(
      'node/emulator-1-node-1\nnode/emulator-1-node-2\n',
    );
    const readyz = await as('probe', ['get', '--raw', '/readyz?verbose']);
    expect(readyz.stdout).toContain('readyz check passed');
    expect((await as('probe', ['get', '--raw', '/livez'])).stdout).toBe('ok');
    expect((await as('probe', ['version', '-o', 'json'])).code).toBe(0);
    expect((await as('probe', ['api-resources'])).stdout).toMatch(
      /^deployments\s+deploy\s+apps\/v1/m,
    );
    const pods = await as('probe', ['get', 'pods', '-A']);
    expect(pods.stderr).toContain(
      'pods is forbidden: User "archipelago-probe" cannot list resource "pods" in API group "" at the cluster scope',
    );
    const ns = await as('probe', ['get', 'namespaces']);
    expect(ns.stderr).toContain(
      'User "archipelago-probe" cannot list resource "namespaces"',
    );
    const metrics = await as('probe', ['get', '--raw', '/metrics']);
    expect(metrics.stderr).toContain(
      'Error from server (Forbidden): forbidden: User "archipelago-probe" cannot get path "/metrics"',
    );
    const list = await as('probe', ['auth', 'can-i', '--list']);
    expect(list.stdout).toMatch(/^nodes\s+\[\]\s+\[\]\s+\[get list watch\]/m);
  });

  it('admin: everything', async () => {
    expect((await as('admin', ['cordon', 'emulator-1-node-2'])).code).toBe(0);
    expect((await as('admin', ['uncordon', 'emulator-1-node-2'])).code).toBe(0);
    expect(
      (await as('admin', ['-n', 'team-a', 'get', 'secret', 'db'])).code,
    ).toBe(0);
    expect((await as('admin', ['auth', 'can-i', '*', '*'])).stdout).toBe(
      'yes\n',
    );
  });

  it('enforces the same through @kubernetes/client-node', async () => {
    const c = fleet.cluster(1);
    const api = (role: 'deploy' | 'view' | 'probe') => {
      const config = new k8s.KubeConfig();
      config.loadFromString(c.kubeconfigYaml({ role }));
      return config;
    };
    const viewCore = api('view').makeApiClient(k8s.CoreV1Api);
    const forbidden = await viewCore
      .readNamespacedSecret({ name: 'db', namespace: 'team-a' })
      .then(
        () => undefined,
        (e: any) => e,
      );
    expect(forbidden.code).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      details: { name: 'db', kind: 'secrets' },
    });
    expect(
      (await viewCore.listNamespacedPod({ namespace: 'team-a' })).items.length,
    ).toBeGreaterThanOrEqual(0);

    const deployCore = api('deploy').makeApiClient(k8s.CoreV1Api);
    const cm = await deployCore.createNamespacedConfigMap({
      namespace: 'team-a',
      body: { metadata: { name: 'settings' }, data: { a: 'b' } },
    });
    expect(cm.metadata?.name).toBe('settings');

    const probeCore = api('probe').makeApiClient(k8s.CoreV1Api);
    expect((await probeCore.listNode()).items).toHaveLength(2);
    const denied = await probeCore.listNamespace().then(
      () => undefined,
      (e: any) => e,
    );
    expect(denied.code).toBe(403);

    // A revoked role token is unauthenticated, the others keep working.
    await c.setFaults({ revokedTokens: ['deploy'] });
    try {
      const revoked = await deployCore
        .listNamespacedConfigMap({ namespace: 'team-a' })
        .then(
          () => undefined,
          (e: any) => e,
        );
      expect(revoked.code).toBe(401);
      expect((await probeCore.listNode()).items).toHaveLength(2);
    } finally {
      await c.clearFaults();
    }
  });
});

describe('persisted tokens', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-emulator-roles-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every role token across restarts, and adds the missing ones to older files', async () => {
    const file = join(dir, 'dev.json');
    const first = await startCluster({
      name: 'dev',
      nodes: 1,
      persistenceFile: file,
    });
    const tokens = { ...first.tokens };
    await first.stop();
    const second = await startCluster({
      name: 'dev',
      nodes: 1,
      persistenceFile: file,
    });
    expect(second.tokens).toEqual(tokens);
    await second.stop();

    // A file written before roles existed holds only adminToken and readOnlyToken.
    const old = JSON.parse(readFileSync(file, 'utf8'));
    old.identity = {
      ...old.identity,
      adminToken: 'old-admin-token-1234',
      readOnlyToken: 'old-read-only-token-1234',
    };
    delete old.identity.tokens;
    writeFileSync(file, JSON.stringify(old));
    const third = await startCluster({
      name: 'dev',
      nodes: 1,
      persistenceFile: file,
    });
    try {
      expect(third.tokens.admin).toBe('old-admin-token-1234');
      expect(third.tokens.view).toBe('old-read-only-token-1234');
      const saved = JSON.parse(readFileSync(file, 'utf8')).identity.tokens;
      expect(saved).toEqual(third.tokens);
    } finally {
      await third.stop();
    }
  });

  it('rejects the same token for two roles', async () => {
    await expect(
      startCluster({
        tokens: { admin: 'same-token-123', view: 'same-token-123' },
      }),
    ).rejects.toThrow(/tokens: every role needs its own token/);
  });
});
