/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  V1Deployment,
  Watch,
} from '@kubernetes/client-node';
import { startCluster } from './cluster';
import type { EmulatedCluster } from './clusterTypes';
import { eventually } from './__testUtils__/kubectl';

function deployment(
  name: string,
  replicas: number,
  labels: Record<string, string> = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name, ...labels } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      },
    },
  };
}

async function apiError(
  p: Promise<unknown>,
): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiException) {
      return {
        code: e.code,
        body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body,
      };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

describe('@kubernetes/client-node against an emulated cluster', () => {
  let cluster: EmulatedCluster;
  let kc: KubeConfig;
  let apps: AppsV1Api;
  let core: CoreV1Api;

  beforeAll(async () => {
    cluster = await startCluster({
      name: 'client-node',
      podReadyDelayMs: 50,
      bookmarkIntervalMs: 200,
      watchHistory: 50,
    });
    kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfigYaml());
    apps = kc.makeApiClient(AppsV1Api);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('reads deployments and their pods once they are ready', async () => {
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: deployment('api', 3),
    });
    const ready = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({
        namespace: 'team-a',
        name: 'api',
      });
      return d.status?.readyReplicas === 3 ? d : undefined;
    });
    expect(ready.status?.conditions?.map(c => c.type)).toEqual([
      'Available',
      'Progressing',
    ]);

    const list = await apps.listNamespacedDeployment({ namespace: 'team-a' });
    expect(list.items.map(d => d.metadata?.name)).toEqual(['api']);
    const pods = await core.listNamespacedPod({
      namespace: 'team-a',
      labelSelector: 'app=api',
    });
    expect(pods.items).toHaveLength(3);
    for (const p of pods.items) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec?.nodeName).toMatch(/^client-node-node-\d$/);
      expect(p.metadata?.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
    }
  });

  it('answers errors as metav1.Status with the right reason and code', async () => {
    const missing = await apiError(
      apps.readNamespacedDeployment({ namespace: 'team-a', name: 'nope' }),
    );
    expect(missing).toEqual({
      code: 404,
      body: expect.objectContaining({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'NotFound',
        message: 'deployments.apps "nope" not found',
        details: { name: 'nope', group: 'apps', kind: 'deployments' },
        code: 404,
      }),
    });

    const exists = await apiError(
      apps.createNamespacedDeployment({
        namespace: 'team-a',
        body: deployment('api', 1),
      }),
    );
    expect(exists.code).toBe(409);
    expect(exists.body.reason).toBe('AlreadyExists');

    const current = await apps.readNamespacedDeployment({
      namespace: 'team-a',
      name: 'api',
    });
    const stale = {
      ...current,
      metadata: { ...current.metadata, resourceVersion: '1' },
    };
    const conflict = await apiError(
      apps.replaceNamespacedDeployment({
        namespace: 'team-a',
        name: 'api',
        body: stale,
      }),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');
    expect(conflict.body.message).toContain('the object has been modified');

    const bad = deployment('bad', 1);
    bad.spec!.template.metadata!.labels = { app: 'other' };
    const invalid = await apiError(
      apps.createNamespacedDeployment({ namespace: 'team-a', body: bad }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.body.reason).toBe('Invalid');
    expect(invalid.body.details.causes[0]).toEqual(
      expect.objectContaining({
        field: 'spec.template.metadata.labels',
        reason: 'FieldValueInvalid',
      }),
    );

    const noNamespace = await apiError(
      core.createNamespacedConfigMap({
        namespace: 'nowhere',
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(noNamespace.code).toBe(404);
    expect(noNamespace.body.message).toBe('namespaces "nowhere" not found');
  });

  it('updates with the current resourceVersion and bumps generation on spec changes', async () => {
    const current = await apps.readNamespacedDeployment({
      namespace: 'team-a',
      name: 'api',
    });
    const generation = current.metadata!.generation!;
    current.spec!.replicas = 2;
    const updated = await apps.replaceNamespacedDeployment({
      namespace: 'team-a',
      name: 'api',
      body: current,
    });
    expect(updated.metadata?.generation).toBe(generation + 1);
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(current.metadata?.resourceVersion),
    );
    await eventually(
      async () =>
        (
          await core.listNamespacedPod({
            namespace: 'team-a',
            labelSelector: 'app=api',
          })
        ).items.filter(p => !p.metadata?.deletionTimestamp).length === 2,
    );
  });

  it('pages lists with limit/continue and filters with label and field selectors', async () => {
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: {
          metadata: {
            name: `cm-${i}`,
            labels: { tier: i % 2 ? 'odd' : 'even', idx: String(i) },
          },
          data: { i: String(i) },
        },
      });
    }
    const page1 = await core.listNamespacedConfigMap({
      namespace: 'team-a',
      limit: 2,
      labelSelector: 'tier',
    });
    expect(page1.items.map(c => c.metadata?.name)).toEqual(['cm-0', 'cm-1']);
    expect(page1.metadata?.remainingItemCount).toBe(3);
    const page2 = await core.listNamespacedConfigMap({
      namespace: 'team-a',
      limit: 2,
      labelSelector: 'tier',
      _continue: page1.metadata?._continue,
    });
    expect(page2.items.map(c => c.metadata?.name)).toEqual(['cm-2', 'cm-3']);
    const page3 = await core.listNamespacedConfigMap({
      namespace: 'team-a',
      limit: 2,
      labelSelector: 'tier',
      _continue: page2.metadata?._continue,
    });
    expect(page3.items.map(c => c.metadata?.name)).toEqual(['cm-4']);
    expect(page3.metadata?._continue).toBeUndefined();

    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await core.listNamespacedConfigMap({
          namespace: 'team-a',
          labelSelector,
          fieldSelector,
        })
      ).items.map(c => c.metadata!.name);
    expect(await names('tier=odd')).toEqual(['cm-1', 'cm-3']);
    expect(await names('tier==even,idx!=0')).toEqual(['cm-2', 'cm-4']);
    expect(await names('idx in (1,4)')).toEqual(['cm-1', 'cm-4']);
    expect(await names('tier,idx notin (0,1,2)')).toEqual(['cm-3', 'cm-4']);
    expect(await names('!tier')).toEqual(['kube-root-ca.crt']);
    expect(await names(undefined, 'metadata.name=cm-2')).toEqual(['cm-2']);
    expect(
      await names(
        undefined,
        'metadata.namespace=team-a,metadata.name!=kube-root-ca.crt',
      ),
    ).toHaveLength(5);

    const badSelector = await apiError(
      core.listNamespacedConfigMap({
        namespace: 'team-a',
        fieldSelector: 'data.i=1',
      }),
    );
    expect(badSelector.code).toBe(400);
    expect(badSelector.body.message).toBe('field label not supported: data.i');
  });

  it('patches with JSON patch, merge patch and strategic merge patch', async () => {
    await apps.patchNamespacedDeployment({
      namespace: 'team-a',
      name: 'api',
      body: [{ op: 'add', path: '/metadata/labels/patched', value: 'json' }],
    });
    const smp = {
      spec: {
        template: {
          spec: { containers: [{ name: 'sidecar', image: 'envoy:1.30' }] },
        },
      },
    };
    await apps.patchNamespacedDeployment(
      { namespace: 'team-a', name: 'api', body: smp },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await apps.patchNamespacedDeployment(
      {
        namespace: 'team-a',
        name: 'api',
        body: { metadata: { annotations: { owner: 'team-a' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const d = await apps.readNamespacedDeployment({
      namespace: 'team-a',
      name: 'api',
    });
    expect(d.metadata?.labels?.patched).toBe('json');
    expect(d.metadata?.annotations?.owner).toBe('team-a');
    // Strategic merge adds the sidecar next to the existing container (merge key: name).
    expect(d.spec?.template.spec?.containers.map(c => c.name)).toEqual([
      'main',
      'sidecar',
    ]);

    const failedTest = await apiError(
      apps.patchNamespacedDeployment({
        namespace: 'team-a',
        name: 'api',
        body: [{ op: 'test', path: '/spec/replicas', value: 99 }],
      }),
    );
    expect(failedTest.code).toBe(422);
  });

  it('watches from a resourceVersion, with bookmarks, and expires old versions with 410', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'team-a' });
    const rv = list.metadata!.resourceVersion!;
    const events: Array<{
      type: string;
      name?: string;
      rv?: string;
      annotations?: Record<string, string>;
    }> = [];
    const watch = new Watch(kc);
    let ended: unknown = 'open';
    const req = await watch.watch(
      '/api/v1/namespaces/team-a/configmaps',
      { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 5 },
      (type, obj) =>
        events.push({
          type,
          name: obj.metadata?.name,
          rv: obj.metadata?.resourceVersion,
        }),
      err => {
        ended = err ?? null;
      },
    );
    await core.createNamespacedConfigMap({
      namespace: 'team-a',
      body: { metadata: { name: 'watched' } },
    });
    await core.patchNamespacedConfigMap({
      namespace: 'team-a',
      name: 'watched',
      body: [{ op: 'add', path: '/data', value: { a: 'b' } }],
    });
    await core.deleteNamespacedConfigMap({
      namespace: 'team-a',
      name: 'watched',
    });
    await eventually(
      () =>
        events.some(e => e.type === 'DELETED') &&
        events.some(e => e.type === 'BOOKMARK'),
      5000,
    );
    req.abort();
    const changes = events.filter(e => e.type !== 'BOOKMARK');
    expect(changes.map(e => `${e.type} ${e.name}`)).toEqual([
      'ADDED watched',
      'MODIFIED watched',
      'DELETED watched',
    ]);
    expect(Number(changes[0].rv)).toBeGreaterThan(Number(rv));
    expect(ended).not.toBe('open');

    // A watch from a resourceVersion older than the kept history gets a 410 Expired ERROR event.
    const expiredEvents: Array<{ type: string; obj: any }> = [];
    await new Promise<void>(resolve => {
      watch
        .watch(
          '/api/v1/namespaces/team-a/configmaps',
          { resourceVersion: '1' },
          (type, obj) => expiredEvents.push({ type, obj }),
          () => resolve(),
        )
        .catch(() => resolve());
    });
    expect(expiredEvents[0]?.type).toBe('ERROR');
    expect(expiredEvents[0]?.obj).toMatchObject({
      kind: 'Status',
      code: 410,
      reason: 'Expired',
    });
  });

  it('closes a watch after timeoutSeconds', async () => {
    const started = Date.now();
    await new Promise<void>(resolve => {
      new Watch(kc)
        .watch(
          '/api/v1/namespaces',
          { timeoutSeconds: 1 },
          () => undefined,
          () => resolve(),
        )
        .catch(() => resolve());
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
  });
});
