/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { startCluster } from './cluster';
import type { EmulatedCluster } from './clusterTypes';
import { eventually, Kubectl } from './__testUtils__/kubectl';

const APP = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  greeting: hello
`;

const SSA = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: busybox:1.36
`;

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

describe('the real kubectl against an emulated cluster', () => {
  let cluster: EmulatedCluster;
  let kubectl: Kubectl;

  beforeAll(async () => {
    cluster = await startCluster({
      name: 'kubectl-test',
      version: { gitVersion: 'v1.32.3-eks-4c3d1a0' },
      nodes: 3,
      nodeTemplate: {
        region: 'us-east-1',
        instanceType: 'm5.large',
        cpu: '2',
        memory: '8Gi',
      },
      nodeLabels: { 'eks.amazonaws.com/nodegroup': 'workers' },
      podReadyDelayMs: 100,
    });
    kubectl = new Kubectl(cluster.kubeconfigYaml());
  });

  afterAll(async () => {
    await cluster?.stop();
    kubectl?.cleanup();
  });

  it('reports the server version and serves discovery', async () => {
    const version = JSON.parse(await kubectl.ok(['version', '-o', 'json']));
    expect(version.serverVersion).toMatchObject({
      major: '1',
      minor: '32+',
      gitVersion: 'v1.32.3-eks-4c3d1a0',
    });
    // kubectl 1.32+ sends protobuf bodies for typed creates; the tests below rely on that client.
    expect(parseInt(version.clientVersion.minor, 10)).toBeGreaterThanOrEqual(
      32,
    );

    const resources = await kubectl.ok(['api-resources']);
    expect(resources).toMatch(
      /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m,
    );
    expect(resources).toMatch(
      /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m,
    );
    expect(resources).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
  });

  it('lists nodes with the wide columns', async () => {
    const out = await kubectl.ok(['get', 'nodes', '-o', 'wide']);
    const [header, ...rows] = out.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatch(
        /^kubectl-test-node-\d\s+Ready\s+<none>\s+\d+s\s+v1\.32\.3-eks-4c3d1a0\s+10\.0\.0\.\d+\s+<none>\s+Ubuntu/,
      );
    }
    const labels = await kubectl.ok([
      'get',
      'nodes',
      '-L',
      'topology.kubernetes.io/zone,node.kubernetes.io/instance-type',
    ]);
    expect(labels).toContain('us-east-1a');
    expect(labels).toContain('m5.large');
  });

  it('answers verbose readyz through kubectl get --raw', async () => {
    const out = await kubectl.ok(['get', '--raw', '/readyz?verbose']);
    expect(out).toContain('[+]etcd ok');
    expect(out).toContain('readyz check passed');
  });

  it('creates a namespace, applies an app and waits for its rollout', async () => {
    expect(await kubectl.ok(['create', 'namespace', 'tools'])).toContain(
      'namespace/tools created',
    );
    const applied = await kubectl.ok([
      'apply',
      '-f',
      kubectl.file('app.yaml', APP),
    ]);
    expect(applied).toContain('namespace/shop created');
    expect(applied).toContain('deployment.apps/web created');
    expect(applied).toContain('service/web created');
    expect(applied).toContain('configmap/web-config created');

    const rollout = await kubectl.ok([
      '-n',
      'shop',
      'rollout',
      'status',
      'deployment/web',
      '--timeout=30s',
    ]);
    expect(rollout).toContain('deployment "web" successfully rolled out');
    const deployment = cluster.store.get('deployments', 'web', 'shop')!;
    expect(deployment.status).toMatchObject({
      readyReplicas: 2,
      availableReplicas: 2,
      updatedReplicas: 2,
      observedGeneration: 1,
    });

    const again = await kubectl.run([
      'apply',
      '-f',
      kubectl.file('app.yaml', APP),
    ]);
    expect(again.stdout).toContain('deployment.apps/web unchanged');
    expect(again.stderr).toBe('');

    const updated = APP.replace('nginx:1.27', 'nginx:1.28').replace(
      'greeting: hello',
      'greeting: hi',
    );
    const configured = await kubectl.run([
      'apply',
      '-f',
      kubectl.file('app2.yaml', updated),
    ]);
    expect(configured.stdout).toContain('deployment.apps/web configured');
    expect(configured.stdout).toContain('configmap/web-config configured');
    expect(configured.stderr).toBe('');
    await kubectl.ok([
      '-n',
      'shop',
      'rollout',
      'status',
      'deployment/web',
      '--timeout=30s',
    ]);
    expect(cluster.store.get('configmaps', 'web-config', 'shop')!.data).toEqual(
      { greeting: 'hi' },
    );
    const pods = cluster.store
      .list('pods', 'shop')
      .filter(p => !p.metadata.deletionTimestamp);
    expect(pods.map(p => p.spec.containers[0].image)).toEqual([
      'nginx:1.28',
      'nginx:1.28',
    ]);
  });

  it('scales, labels and patches', async () => {
    expect(
      await kubectl.ok([
        '-n',
        'shop',
        'scale',
        'deployment/web',
        '--replicas=3',
      ]),
    ).toContain('deployment.apps/web scaled');
    await kubectl.ok([
      '-n',
      'shop',
      'rollout',
      'status',
      'deployment/web',
      '--timeout=30s',
    ]);
    expect(
      await kubectl.ok([
        '-n',
        'shop',
        'label',
        'deployment',
        'web',
        'tier=frontend',
      ]),
    ).toContain('deployment.apps/web labeled');
    await kubectl.ok([
      '-n',
      'shop',
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/metadata/annotations/team","value":"storefront"}]',
    ]);
    await kubectl.ok([
      '-n',
      'shop',
      'patch',
      'deployment',
      'web',
      '--type=merge',
      '-p',
      '{"spec":{"minReadySeconds":1}}',
    ]);
    const d = cluster.store.get('deployments', 'web', 'shop')!;
    expect(d.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(d.metadata.annotations?.team).toBe('storefront');
    expect(d.spec.minReadySeconds).toBe(1);
    expect(d.spec.replicas).toBe(3);

    const pods = JSON.parse(
      await kubectl.ok([
        '-n',
        'shop',
        'get',
        'pods',
        '-l',
        'app=web',
        '-o',
        'json',
      ]),
    );
    const running = pods.items.filter(
      (p: any) => !p.metadata.deletionTimestamp,
    );
    expect(running).toHaveLength(3);
    for (const p of running) {
      expect(p.status.phase).toBe('Running');
      expect(p.status.conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'Ready', status: 'True' }),
        ]),
      );
    }
    const none = await kubectl.run([
      '-n',
      'shop',
      'get',
      'pods',
      '-l',
      'app in (nothing)',
    ]);
    expect(none.stderr).toContain('No resources found in shop namespace.');
  });

  it('server-side applies, reports conflicts like the real server and forces them', async () => {
    expect(
      await kubectl.ok([
        'apply',
        '--server-side',
        '-f',
        kubectl.file('ssa.yaml', SSA),
      ]),
    ).toContain('deployment.apps/api serverside-applied');
    await kubectl.ok([
      'apply',
      '--server-side',
      '-f',
      kubectl.file('ssa2.yaml', SSA.replace('replicas: 1', 'replicas: 2')),
    ]);
    const api = cluster.store.get('deployments', 'api', 'shop')!;
    expect(api.spec.replicas).toBe(2);
    expect(api.metadata.managedFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
      ]),
    );

    // `kubectl scale` took spec.replicas of "web"; applying the old value conflicts.
    const conflict = await kubectl.run([
      'apply',
      '--server-side',
      '-f',
      kubectl.file('app.yaml', APP),
    ]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(
      /Apply failed with \d+ conflicts?: conflict with "kubectl/,
    );
    expect(conflict.stderr).toContain('.spec.replicas');
    await kubectl.ok([
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      kubectl.file('app.yaml', APP),
    ]);
    expect(cluster.store.get('deployments', 'web', 'shop')!.spec.replicas).toBe(
      2,
    );
  });

  it('validates fields strictly, as kubectl asks with fieldValidation=Strict', async () => {
    const bad = SSA.replace('name: api', 'name: typo').replace(
      'replicas: 1',
      'replicaz: 1',
    );
    const r = await kubectl.run(['apply', '-f', kubectl.file('bad.yaml', bad)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'strict decoding error: unknown field "spec.replicaz"',
    );
    expect(cluster.store.get('deployments', 'typo', 'shop')).toBeUndefined();

    const invalid = await kubectl.run([
      '-n',
      'shop',
      'create',
      'deployment',
      'Bad_Name',
      '--image=nginx',
    ]);
    expect(invalid.stderr).toContain('is invalid');
  });

  it('shows events and deletes what a file created', async () => {
    const events = await kubectl.ok(['-n', 'shop', 'get', 'events']);
    expect(events).toContain('ScalingReplicaSet');
    expect(events).toMatch(/Scheduled\s+pod\/web-/);

    const deleted = await kubectl.ok([
      'delete',
      '-f',
      kubectl.file('app.yaml', APP),
      '--timeout=30s',
    ]);
    expect(deleted).toContain('deployment.apps "web" deleted');
    expect(deleted).toContain('namespace "shop" deleted');
    expect(cluster.store.get('namespaces', 'shop')).toBeUndefined();
    expect(cluster.store.list('pods', 'shop')).toEqual([]);
  });

  it('refuses writes with the read-only token and unknown tokens', async () => {
    const readOnly = new Kubectl(cluster.kubeconfigYaml({ readOnly: true }));
    try {
      expect(await readOnly.ok(['get', 'namespaces'])).toContain('default');
      const denied = await readOnly.run([
        '-n',
        'default',
        'create',
        'configmap',
        'x',
        '--from-literal=a=b',
      ]);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain(
        'configmaps is forbidden: User "archipelago-view" cannot create resource "configmaps" in API group "" in the namespace "default"',
      );
    } finally {
      readOnly.cleanup();
    }
    const bad = await kubectl.run(['--token=not-a-token', 'get', 'pods']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'error: You must be logged in to the server (Unauthorized)',
    );
  });

  it('creates objects with kubectl create subcommands (protobuf request bodies)', async () => {
    const ns = ['-n', 'tools'];
    await kubectl.ok([
      ...ns,
      'create',
      'configmap',
      'settings',
      '--from-literal=mode=fast',
      '--from-literal=empty=',
    ]);
    await kubectl.ok([
      ...ns,
      'create',
      'secret',
      'generic',
      'creds',
      '--from-literal=password=s3cret',
    ]);
    await kubectl.ok([
      ...ns,
      'create',
      'service',
      'nodeport',
      'edge',
      '--tcp=80:8080',
    ]);
    await kubectl.ok([
      ...ns,
      'create',
      'deployment',
      'idle',
      '--image=nginx:1.27',
      '--replicas=0',
    ]);
    await kubectl.ok([...ns, 'create', 'job', 'once', '--image=busybox:1.36']);
    await kubectl.ok([
      ...ns,
      'create',
      'ingress',
      'site',
      '--rule=shop.example.com/=edge:80',
    ]);
    await kubectl.ok([
      ...ns,
      'run',
      'solo',
      '--image=busybox:1.36',
      '--labels=role=solo',
    ]);

    expect(cluster.store.get('configmaps', 'settings', 'tools')!.data).toEqual({
      mode: 'fast',
      empty: '',
    });
    expect(
      Buffer.from(
        cluster.store.get('secrets', 'creds', 'tools')!.data.password,
        'base64',
      ).toString(),
    ).toBe('s3cret');
    const edge = cluster.store.get('services', 'edge', 'tools')!;
    expect(edge.spec).toMatchObject({
      type: 'NodePort',
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
    expect(edge.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    // replicas: 0 is a pointer field whose zero survives the protobuf round trip.
    expect(
      cluster.store.get('deployments', 'idle', 'tools')!.spec.replicas,
    ).toBe(0);
    expect(
      cluster.store.get('ingresses', 'site', 'tools')!.spec.rules[0],
    ).toEqual({
      host: 'shop.example.com',
      http: {
        paths: [
          {
            path: '/',
            pathType: 'Exact',
            backend: { service: { name: 'edge', port: { number: 80 } } },
          },
        ],
      },
    });
    expect(cluster.store.get('pods', 'solo', 'tools')!.metadata.labels).toEqual(
      { role: 'solo' },
    );
    await eventually(
      () => cluster.store.get('jobs', 'once', 'tools')?.status?.succeeded === 1,
    );
    const jobs = await kubectl.ok([...ns, 'get', 'jobs']);
    expect(jobs).toMatch(/once\s+Complete\s+1\/1/);
  });

  it('rolls out StatefulSets in order and DaemonSets on every node', async () => {
    const manifest = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: tools}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: "postgres:16"}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: tools}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "busybox:1.36"}]
`;
    await kubectl.ok(['apply', '-f', kubectl.file('sts.yaml', manifest)]);
    const sts = await kubectl.ok([
      '-n',
      'tools',
      'rollout',
      'status',
      'statefulset/db',
      '--timeout=30s',
    ]);
    // kubectl prints "Waiting for … pods" only if it starts before the pods are
    // ready, which a busy machine decides; the outcome is what counts.
    expect(sts).toContain('roll out complete: 3 new pods have been updated');
    expect(
      await kubectl.ok([
        '-n',
        'tools',
        'rollout',
        'status',
        'daemonset/agent',
        '--timeout=30s',
      ]),
    ).toContain('daemon set "agent" successfully rolled out');
    const pods = cluster.store.list('pods', 'tools');
    expect(
      pods
        .filter(p => p.metadata.labels?.app === 'db')
        .map(p => p.metadata.name),
    ).toEqual(['db-0', 'db-1', 'db-2']);
    const agents = pods.filter(p => p.metadata.labels?.app === 'agent');
    expect(new Set(agents.map(p => p.spec.nodeName)).size).toBe(3);
    expect(
      cluster.store.get('statefulsets', 'db', 'tools')!.status,
    ).toMatchObject({ readyReplicas: 3, replicas: 3 });
  });

  it('follows pods with get -w until the watch times out', async () => {
    await kubectl.ok([
      '-n',
      'tools',
      'create',
      'deployment',
      'watcher',
      '--image=busybox:1.36',
    ]);
    await eventually(
      () =>
        cluster.store.get('deployments', 'watcher', 'tools')?.status
          ?.readyReplicas === 1,
    );
    const out = await kubectl
      .ok(['-n', 'tools', 'get', 'pods', '-w', '--request-timeout=2s'], {
        timeoutMs: 10_000,
      })
      .catch(e => String(e));
    expect(out).toMatch(/watcher-\w+-\w+\s+1\/1\s+Running/);
  });
});
