/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { startCluster } from './cluster';
import type { EmulatedCluster } from './clusterTypes';
import { KubeObject } from './store/store';
import { eventually, Kubectl } from './__testUtils__/kubectl';

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

const MANAGER = 'archipelago-workloads';

function deployment(image: string, replicas = 3, name = 'web') {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: apps, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  progressDeadlineSeconds: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, image: "${image}"}]
`;
}

/** The fields a manager owns, as the flattened paths of its managedFields entries. */
function owned(obj: KubeObject, manager: string): string[] {
  const paths: string[] = [];
  const walk = (node: Record<string, any>, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '.') continue;
      const path = `${prefix}${prefix ? '/' : ''}${k}`;
      if (v && typeof v === 'object' && Object.keys(v).length) walk(v, path);
      else paths.push(path);
    }
  };
  for (const entry of obj.metadata.managedFields ?? []) {
    if (entry.manager === manager) walk(entry.fieldsV1 ?? {}, '');
  }
  return paths;
}

describe('what a workload reconciler needs, through the real kubectl', () => {
  let cluster: EmulatedCluster;
  let admin: Kubectl;
  let deploy: Kubectl;
  const get = (resource: string, name: string) =>
    cluster.store.get(resource, name, 'apps')!;

  beforeAll(async () => {
    cluster = await startCluster({
      name: 'workloads',
      nodes: 3,
      podReadyDelayMs: 20,
      jobDurationMs: 200,
    });
    admin = new Kubectl(cluster.kubeconfigYaml());
    deploy = new Kubectl(cluster.kubeconfigYaml({ role: 'deploy' }));
    await deploy.ok(['create', 'namespace', 'apps']);
  });

  afterAll(async () => {
    await cluster?.stop();
    admin?.cleanup();
    deploy?.cleanup();
  });

  const apply = (yaml: string, extra: string[] = []) =>
    deploy.run([
      'apply',
      '--server-side',
      `--field-manager=${MANAGER}`,
      ...extra,
      '-f',
      deploy.file('w.yaml', yaml),
    ]);

  it('server-side applies under a field manager, and ownership shows who changed what', async () => {
    const first = await apply(deployment('nginx:1.27'));
    expect(first.stdout).toContain('deployment.apps/web serverside-applied');
    await deploy.ok(['-n', 'apps', 'rollout', 'status', 'deploy/web']);
    expect(owned(get('deployments', 'web'), MANAGER)).toEqual(
      expect.arrayContaining([
        'f:spec/f:replicas',
        'f:spec/f:template/f:spec/f:containers/k:{"name":"main"}/f:image',
      ]),
    );

    // Someone scales by hand: the replicas field changes hands.
    await admin.ok(['-n', 'apps', 'scale', 'deployment/web', '--replicas=5']);
    let web = get('deployments', 'web');
    expect(web.spec.replicas).toBe(5);
    expect(owned(web, MANAGER)).not.toContain('f:spec/f:replicas');
    const scaler = web.metadata.managedFields.find(
      (m: any) => m.fieldsV1?.['f:spec']?.['f:replicas'],
    );
    expect(scaler).toMatchObject({ operation: 'Update', subresource: 'scale' });

    // And sets an image.
    await admin.ok([
      '-n',
      'apps',
      'set',
      'image',
      'deployment/web',
      'main=nginx:1.28',
    ]);
    web = get('deployments', 'web');
    expect(web.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(owned(web, MANAGER)).not.toContain(
      'f:spec/f:template/f:spec/f:containers/k:{"name":"main"}/f:image',
    );

    // Re-applying without force reports the drift as conflicts naming the other managers.
    const conflict = await apply(deployment('nginx:1.27'));
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/Apply failed with 2 conflicts/);
    expect(conflict.stderr).toContain('.spec.replicas');
    expect(conflict.stderr).toContain(
      '.spec.template.spec.containers[name="main"].image',
    );

    // Forcing takes the fields back.
    expect(
      (await apply(deployment('nginx:1.27'), ['--force-conflicts'])).code,
    ).toBe(0);
    web = get('deployments', 'web');
    expect(web.spec.replicas).toBe(3);
    expect(web.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(owned(web, MANAGER)).toEqual(
      expect.arrayContaining([
        'f:spec/f:replicas',
        'f:spec/f:template/f:spec/f:containers/k:{"name":"main"}/f:image',
      ]),
    );
    await deploy.ok([
      '-n',
      'apps',
      'rollout',
      'status',
      'deploy/web',
      '--timeout=20s',
    ]);
    const pods = cluster.store
      .list('pods', 'apps')
      .filter(
        p => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp,
      );
    expect(pods.map(p => p.spec.containers[0].image)).toEqual(
      Array(3).fill('nginx:1.27'),
    );
  });

  it('deletes a deployment with kubectl and recreates it with apply', async () => {
    const deleted = await admin.ok([
      '-n',
      'apps',
      'delete',
      'deployment',
      'web',
      '--wait=true',
      '--timeout=20s',
    ]);
    expect(deleted).toContain('deployment.apps "web" deleted');
    expect(cluster.store.get('deployments', 'web', 'apps')).toBeUndefined();
    await eventually(
      () =>
        cluster.store
          .list('pods', 'apps')
          .filter(p => p.metadata.labels?.app === 'web').length === 0,
    );
    expect((await apply(deployment('nginx:1.27'))).code).toBe(0);
    await deploy.ok([
      '-n',
      'apps',
      'rollout',
      'status',
      'deploy/web',
      '--timeout=20s',
    ]);
    expect(get('deployments', 'web').status).toMatchObject({
      readyReplicas: 3,
      availableReplicas: 3,
    });
  });

  it('reports readiness of Deployments, StatefulSets, DaemonSets and Jobs', async () => {
    const manifest = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: apps}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: "postgres:16"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: apps}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "busybox:1.36"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: apps}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "busybox:1.36"}]
`;
    expect((await apply(manifest)).code).toBe(0);
    await deploy.ok([
      '-n',
      'apps',
      'rollout',
      'status',
      'statefulset/db',
      '--timeout=20s',
    ]);
    await deploy.ok([
      '-n',
      'apps',
      'rollout',
      'status',
      'daemonset/agent',
      '--timeout=20s',
    ]);
    await deploy.ok([
      '-n',
      'apps',
      'wait',
      '--for=condition=Complete',
      'job/migrate',
      '--timeout=20s',
    ]);
    expect(get('statefulsets', 'db').status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      observedGeneration: 1,
    });
    expect(get('daemonsets', 'agent').status).toMatchObject({
      desiredNumberScheduled: 3,
      numberReady: 3,
      numberAvailable: 3,
      updatedNumberScheduled: 3,
    });
    expect(get('jobs', 'migrate').status).toMatchObject({ succeeded: 1 });
    expect(get('jobs', 'migrate').status.active ?? 0).toBe(0);
    expect(get('deployments', 'web').status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True' }),
        expect.objectContaining({
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
        }),
      ]),
    );
  });

  it('never readies an image marked never-ready: the rollout fails its deadline', async () => {
    expect(
      (await apply(deployment('ghcr.io/acme/web:2.0-never-ready'))).code,
    ).toBe(0);
    const status = await deploy.run([
      '-n',
      'apps',
      'rollout',
      'status',
      'deploy/web',
      '--timeout=20s',
    ]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(
      'deployment "web" exceeded its progress deadline',
    );
    const web = get('deployments', 'web');
    expect(web.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
        }),
      ]),
    );
    // The old pods keep serving; the new ones run but never turn Ready.
    expect(web.status.readyReplicas).toBe(3);
    const fresh = cluster.store
      .list('pods', 'apps')
      .filter(p => p.spec.containers[0].image.endsWith('never-ready'));
    expect(fresh).toHaveLength(3);
    for (const p of fresh) {
      expect(p.status.phase).toBe('Running');
      expect(p.status.containerStatuses[0]).toMatchObject({
        ready: false,
        started: true,
      });
      expect(p.status.conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'Ready',
            status: 'False',
            reason: 'ContainersNotReady',
          }),
        ]),
      );
    }
    const pods = await admin.ok(['-n', 'apps', 'get', 'pods', '-l', 'app=web']);
    expect(pods).toMatch(/web-\S+\s+0\/1\s+Running/);
    const events = await admin.ok(['-n', 'apps', 'get', 'events']);
    expect(events).toContain('Readiness probe failed');

    // Rolling back to the previous image recovers.
    expect((await apply(deployment('nginx:1.27'))).code).toBe(0);
    await deploy.ok([
      '-n',
      'apps',
      'rollout',
      'status',
      'deploy/web',
      '--timeout=20s',
    ]);
  });

  it('fails image pulls and crash-loops by image name or annotation; jobs never complete', async () => {
    const manifest = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: broken, namespace: apps}
spec:
  replicas: 1
  selector: {matchLabels: {app: broken}}
  template:
    metadata:
      labels: {app: broken}
      annotations: {kube-emulator.archipelago.dev/container-behavior: "sidecar=crash-loop"}
    spec:
      containers:
      - {name: main, image: "registry.example.com/shop:pull-error"}
      - {name: sidecar, image: "envoyproxy/envoy:v1.31"}
---
apiVersion: batch/v1
kind: Job
metadata: {name: stuck, namespace: apps}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: "example/never-ready:1"}]
`;
    expect((await apply(manifest)).code).toBe(0);
    const pod = await eventually(() =>
      cluster.store
        .list('pods', 'apps')
        .find(
          p =>
            p.metadata.labels?.app === 'broken' &&
            p.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
              'ImagePullBackOff',
        ),
    );
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.containerStatuses[1]).toMatchObject({
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1 } },
    });
    const listed = await admin.ok([
      '-n',
      'apps',
      'get',
      'pod',
      pod.metadata.name!,
    ]);
    // kubectl shows the reason of the last waiting container, as for a real pod.
    expect(listed).toMatch(/0\/2\s+CrashLoopBackOff\s+1\s/);
    await new Promise(r => setTimeout(r, 500));
    expect(get('jobs', 'stuck').status).toMatchObject({ active: 1 });
    expect(get('jobs', 'stuck').status.succeeded ?? 0).toBe(0);
  });
});
