/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createMulticlusterService,
  multiclusterServiceMock,
} from '@archipelago/multicluster-node';
import { type Fleet, startFleet } from '@archipelago/kube-emulator';
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import {
  checkpointStore,
  deployContext,
} from '../deploy/__testUtils__/context';
import { startFakeMulticluster } from '../deploy/__testUtils__/fakeMulticluster';
import { Kubectl } from '../deploy/__testUtils__/kubectl';
import { parseDeployInput } from '../deploy/input';
import { actorAwareMockAuth } from '@archipelago/multicluster-node-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createDeployAction } from './deploy';
import { deployExamples } from './deploy.examples';

jest.setTimeout(60_000);

const web = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "${image}" }] }
`;
const OLD_SECRET = 'old-value-of-the-secret';
const NEW_SECRET = 'new-value-of-the-secret';
const secret = (value: string) => `
apiVersion: v1
kind: Secret
metadata: { name: db }
stringData: { password: ${value} }
`;

describe('createDeployAction', () => {
  const action = createDeployAction({
    auth: mockServices.auth(),
    multicluster: multiclusterServiceMock(),
  });

  it('declares its id, dry-run support and a JSON Schema derived from the zod schema', () => {
    expect(action.id).toBe('multicluster:deploy');
    expect(action.supportsDryRun).toBe(true);
    const input = action.schema?.input as any;
    expect(Object.keys(input.properties)).toEqual([
      'manifests',
      'manifestsPath',
      'namespace',
      'placement',
      'replicas',
      'overrides',
      'rollout',
      'onFailure',
      'fieldManager',
    ]);
    expect(input.required).toEqual(['placement']);
    expect(input.properties.onFailure).toMatchObject({
      enum: ['rollback', 'keep'],
      default: 'rollback',
    });
    expect(input.properties.rollout.properties.maxConcurrent).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 5,
    });
    expect(Object.keys((action.schema?.output as any).properties)).toEqual([
      'results',
      'plan',
      'summary',
    ]);
  });

  it.each(deployExamples.map(e => [e.description, e.example]))(
    'example "%s" is valid input',
    (_d, example) => {
      const [step] = yaml.parse(example).steps;
      expect(step.action).toBe('multicluster:deploy');
      expect(() => parseDeployInput(step.input)).not.toThrow();
    },
  );
});

describe('multicluster:deploy on a small fleet', () => {
  let fleet: Fleet;
  let fake: Awaited<ReturnType<typeof startFakeMulticluster>>;
  const kubectls: Kubectl[] = [];
  const action = () =>
    createDeployAction({
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
      multicluster: createMulticlusterService({
        auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
        discovery: fake.discovery as any,
      }),
    });
  /** The image of Deployment web in a namespace on each cluster ('none' when absent). */
  const deploymentImages = async (namespace: string) =>
    Promise.all(
      kubectls.map(
        async k =>
          (
            await k.run([
              'get',
              'deploy',
              'web',
              '-n',
              namespace,
              '-o',
              'jsonpath={.spec.template.spec.containers[0].image}',
            ])
          ).stdout || 'none',
      ),
    );

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 4,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 100,
      // emulator-2 never becomes ready.
      perCluster: i => (i === 2 ? { podReadyDelayMs: 600_000 } : {}),
    });
    for (const cluster of fleet.clusters) kubectls.push(new Kubectl(cluster));
    fake = await startFakeMulticluster(
      fleet.clusters.map((cluster, i) => ({
        cluster,
        labels: { env: 'prod', slow: i === 1 ? 'yes' : 'no' },
        ...(i === 3
          ? {
              connection: {
                authProvider: 'aws',
                serviceAccountToken: undefined,
              },
            }
          : {}),
      })),
    );
  });

  afterAll(async () => {
    for (const k of kubectls) k.cleanup();
    await fake?.stop();
    await fleet?.stop();
  });

  it('prints the plan in a dry run and touches no cluster', async () => {
    const { ctx, logger, outputs } = deployContext(
      {
        namespace: 'dry',
        manifests: web('web:1'),
        placement: { clusterSelector: 'env=prod', exclude: ['emulator-2'] },
        replicas: { totalReplicas: 6 },
      },
      { isDryRun: true },
    );
    await action().handler(ctx as any);
    expect(outputs.plan).toEqual([
      { cluster: 'emulator-1', replicas: { 'dry/web': 2 } },
      { cluster: 'emulator-3', replicas: { 'dry/web': 2 } },
      { cluster: 'emulator-4', replicas: { 'dry/web': 2 } },
    ]);
    expect(outputs.results).toEqual([
      {
        cluster: 'emulator-2',
        status: 'excluded',
        replicas: {},
        message: 'in-exclude: Cluster "emulator-2" is listed in exclude',
      },
    ]);
    expect(logger.lines).toContain('info Dry run: would deploy to 3 clusters:');
    expect(logger.lines).toContain('info   emulator-3: dry/web=2');
    expect(
      fake.requests.some(r => r.path.includes('/internal/connections')),
    ).toBe(false);
    expect(await deploymentImages('dry')).toEqual([
      'none',
      'none',
      'none',
      'none',
    ]);
  });

  it('reads manifests from the workspace and skips a cluster it cannot authenticate to', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-deploy-ws-'));
    try {
      fs.mkdirSync(path.join(workspace, 'k8s'));
      fs.writeFileSync(
        path.join(workspace, 'k8s', '1-web.yaml'),
        web('web:ws'),
      );
      fs.writeFileSync(
        path.join(workspace, 'k8s', '2-config.yml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { a: b }\n',
      );
      fs.writeFileSync(
        path.join(workspace, 'k8s', 'README.md'),
        '# not a manifest',
      );
      const { ctx, outputs } = deployContext(
        {
          namespace: 'ws',
          manifestsPath: 'k8s',
          placement: { clusterNames: ['emulator-1', 'emulator-4'] },
          rollout: { waitForReady: false },
        },
        { workspacePath: workspace },
      );
      await action().handler(ctx as any);
      expect(outputs.results).toEqual([
        {
          cluster: 'emulator-1',
          status: 'applied',
          replicas: { 'ws/web': 1 },
          message: 'applied 2 objects, readiness not awaited',
        },
        {
          cluster: 'emulator-4',
          status: 'skipped',
          replicas: {},
          message:
            'no usable connection: its credentials (authProvider aws) cannot be used by multicluster:deploy',
        },
      ]);
      expect(await deploymentImages('ws')).toEqual([
        'web:ws',
        'none',
        'none',
        'none',
      ]);
      await expect(
        action().handler(
          deployContext(
            { manifestsPath: '../etc', placement: { clusterSelector: '' } },
            { workspacePath: workspace },
          ).ctx as any,
        ),
      ).rejects.toThrow(
        /manifestsPath "..\/etc" is outside the task workspace/,
      );
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('keeps what was applied with onFailure keep, and fails the task', async () => {
    const { ctx, outputs } = deployContext({
      namespace: 'keep',
      manifests: web('web:keep'),
      placement: { clusterSelector: 'env=prod', exclude: ['emulator-4'] },
      rollout: { maxConcurrent: 1, maxFailures: 0, timeoutSeconds: 2 },
      onFailure: 'keep',
    });
    await expect(action().handler(ctx as any)).rejects.toThrow(
      /1 cluster failed \(maxFailures 0\); the rollout stopped and what was applied was kept \(onFailure keep\)/,
    );
    expect(outputs.results.map((r: any) => [r.cluster, r.status])).toEqual([
      ['emulator-1', 'ready'],
      ['emulator-2', 'failed'],
      ['emulator-3', 'skipped'],
      ['emulator-4', 'excluded'],
    ]);
    expect(outputs.results[2].message).toBe(
      'not started: the rollout stopped after 1 failed cluster (maxFailures 0)',
    );
    expect(outputs.results[3].message).toBe(
      'in-exclude: Cluster "emulator-4" is listed in exclude',
    );
    expect(await deploymentImages('keep')).toEqual([
      'web:keep',
      'web:keep',
      'none',
      'none',
    ]);
  });

  it('resumes without redoing finished clusters', async () => {
    const checkpoints = checkpointStore();
    const input = {
      namespace: 'resume',
      manifests: web('web:r'),
      placement: { clusterSelector: 'slow=no', exclude: ['emulator-4'] },
      replicas: { totalReplicas: 4 },
    };
    const first = deployContext(input, { checkpoints });
    await action().handler(first.ctx as any);
    expect(checkpoints.calls).toEqual(
      expect.arrayContaining([
        'resolve',
        'preflight',
        'capture.id-emulator-1',
        'deploy.id-emulator-1',
        'capture.id-emulator-3',
        'deploy.id-emulator-3',
      ]),
    );
    // As if the task had died while deploying emulator-3: that step is not recorded.
    checkpoints.values.delete('deploy.id-emulator-3');
    checkpoints.calls.length = 0;
    const listsBefore = fake.requests.filter(r =>
      r.path.startsWith('/api/multicluster/clusters'),
    ).length;
    const second = deployContext(input, { checkpoints });
    await action().handler(second.ctx as any);
    expect(checkpoints.calls).toEqual(['deploy.id-emulator-3']);
    expect(await deploymentImages('resume')).toEqual([
      'web:r',
      'none',
      'web:r',
      'none',
    ]);
    expect(
      fake.requests.filter(r => r.path.startsWith('/api/multicluster/clusters'))
        .length,
    ).toBe(listsBefore);
    expect(second.outputs.results).toEqual(
      first.outputs.results.map((r: any) => ({
        ...r,
        message: expect.any(String),
      })),
    );
    expect(second.outputs.plan).toEqual(first.outputs.plan);
  });

  it('after a restart, restores what it kept and says which Secret it could not', async () => {
    // The previous state on emulator-1: web:old and a Secret with an old value.
    await kubectls[0].ok(['create', 'namespace', 'restart']);
    await kubectls[0].ok(['apply', '-n', 'restart', '-f', '-'], {
      input: `${web('web:old')}\n---\n${secret(OLD_SECRET)}`,
    });
    const checkpoints = checkpointStore();
    const input = {
      namespace: 'restart',
      manifests: `${web('web:new')}\n---\n${secret(NEW_SECRET)}`,
      placement: { clusterNames: ['emulator-1', 'emulator-2'] },
      rollout: { maxConcurrent: 1, timeoutSeconds: 2 },
    };
    // The first process dies when it starts rolling back.
    const dying = deployContext(input, { checkpoints });
    (dying.ctx as any).checkpoint = async (opts: {
      key: string;
      fn: () => any;
    }) => {
      if (opts.key.startsWith('rollback.'))
        throw new Error('the backend restarted');
      return checkpoints.checkpoint(opts as any);
    };
    await expect(action().handler(dying.ctx as any)).rejects.toThrow(
      /rollback incomplete: the backend restarted/,
    );
    // The resumed task finds the redacted snapshot only.
    const stored = JSON.stringify([...checkpoints.values.entries()]);
    expect(stored).not.toContain(OLD_SECRET);
    expect(stored).not.toContain(Buffer.from(OLD_SECRET).toString('base64'));
    const resumed = deployContext(input, { checkpoints });
    const error = await action()
      .handler(resumed.ctx as any)
      .then(
        () => undefined,
        e => e as Error,
      );
    expect(error?.message).toMatch(
      /emulator-1 +failed .*rollback incomplete: Secret restart\/db was left as deployed: its previous data is never stored, so it cannot be restored after a task restart/,
    );
    expect(
      resumed.outputs.results.map((r: any) => [r.cluster, r.status]),
    ).toEqual([
      ['emulator-1', 'failed'],
      ['emulator-2', 'rolled-back'],
    ]);
    expect(await deploymentImages('restart')).toEqual([
      'web:old',
      'none',
      'none',
      'none',
    ]);
    const everything = `${error?.message} ${JSON.stringify(
      resumed.outputs,
    )} ${resumed.logger.lines.join('\n')} ${dying.logger.lines.join('\n')}`;
    for (const value of [OLD_SECRET, NEW_SECRET]) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('says how to fix a backend that does not allow the scaffolder to read connections', async () => {
    const strict = await startFakeMulticluster(
      [{ cluster: fleet.clusters[0], labels: { env: 'prod' } }],
      { allowedPlugin: 'kubernetes' },
    );
    try {
      const denied = createDeployAction({
        auth: mockServices.auth({ pluginId: 'scaffolder' }),
        multicluster: createMulticlusterService({
          auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
          discovery: strict.discovery as any,
        }),
      });
      const { ctx } = deployContext({
        namespace: 'denied',
        manifests: web('x'),
        placement: { clusterSelector: '' },
      });
      await expect(denied.handler(ctx as any)).rejects.toThrow(
        /add "scaffolder" to multicluster\.connections\.allowedPlugins/,
      );
      expect(await deploymentImages('denied')).toEqual([
        'none',
        'none',
        'none',
        'none',
      ]);
    } finally {
      await strict.stop();
    }
  });

  it('refuses clusters the user cannot deploy to, naming them, dry runs included', async () => {
    // The permission framework says no for emulator-2 (multicluster.cluster.deploy per cluster).
    const asked: string[] = [];
    const permissions = mockServices.permissions.mock({
      authorize: async (requests: any[]) =>
        requests.map(r => {
          asked.push(`${r.permission.name} ${r.resourceRef}`);
          return {
            result:
              r.resourceRef === 'id-emulator-2'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          };
        }),
    } as any);
    const guarded = createDeployAction({
      permissions,
      multicluster: createMulticlusterService({
        auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
        discovery: fake.discovery as any,
      }),
    });
    for (const isDryRun of [true, false]) {
      const { ctx } = deployContext(
        {
          namespace: 'refused',
          manifests: web('x'),
          placement: { clusterSelector: '' },
        },
        { isDryRun },
      );
      await expect(guarded.handler(ctx as any)).rejects.toThrow(
        'You are not allowed to deploy to emulator-2 (multicluster.cluster.deploy); narrow the placement to clusters you may deploy to',
      );
    }
    expect(asked).toContain('multicluster.cluster.deploy id-emulator-1');
    expect(await deploymentImages('refused')).toEqual([
      'none',
      'none',
      'none',
      'none',
    ]);
  });

  it('writes nothing when the multicluster plugin refuses the deploy identity', async () => {
    // No permission check in the action: the server's own (deploy identity on behalf of the user) holds.
    const strict = await startFakeMulticluster([
      { cluster: fleet.clusters[0], labels: { env: 'prod' } },
      {
        cluster: fleet.clusters[2],
        labels: { env: 'prod' },
        deployable: false,
      },
    ]);
    try {
      const denied = createDeployAction({
        multicluster: createMulticlusterService({
          auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
          discovery: strict.discovery as any,
        }),
      });
      const { ctx } = deployContext({
        namespace: 'server-refused',
        manifests: web('x'),
        placement: { clusterSelector: 'env=prod' },
      });
      await expect(denied.handler(ctx as any)).rejects.toThrow(
        'You are not allowed to deploy to emulator-3 (multicluster.cluster.deploy)',
      );
      expect(await deploymentImages('server-refused')).toEqual([
        'none',
        'none',
        'none',
        'none',
      ]);
    } finally {
      await strict.stop();
    }
  });

  it('fails a cluster that refuses the objects in a dry run before touching any cluster', async () => {
    // emulator-3 hands out its read-only token: it answers, but refuses every write.
    const readOnly = await startFakeMulticluster(
      fleet.clusters.map((cluster, i) => ({
        cluster,
        labels: { env: i === 1 ? 'slow' : 'prod' },
        ...(i === 2
          ? { connection: { serviceAccountToken: cluster.readOnlyToken } }
          : {}),
        ...(i === 3
          ? {
              connection: {
                authProvider: 'aws',
                serviceAccountToken: undefined,
              },
            }
          : {}),
      })),
    );
    try {
      const act = createDeployAction({
        auth: mockServices.auth({ pluginId: 'scaffolder' }),
        multicluster: createMulticlusterService({
          auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
          discovery: readOnly.discovery as any,
        }),
      });
      const strict = deployContext({
        namespace: 'dry-run',
        manifests: web('web:d'),
        placement: { clusterSelector: 'env=prod' },
      });
      const error = await act.handler(strict.ctx as any).then(
        () => undefined,
        e => e as Error,
      );
      expect(error?.message).toMatch(
        /^multicluster:deploy failed: 1 cluster refused the objects in a server-side dry run \(maxFailures 0\); nothing was applied\n/,
      );
      expect(
        strict.outputs.results.map((r: any) => [r.cluster, r.status]),
      ).toEqual([
        ['emulator-3', 'failed'],
        ['emulator-4', 'skipped'],
      ]);
      expect(strict.outputs.results[0].message).toMatch(
        /^refused in a server-side dry run, nothing applied: Deployment dry-run\/web: .*forbidden/i,
      );
      expect(await deploymentImages('dry-run')).toEqual([
        'none',
        'none',
        'none',
        'none',
      ]);

      // Tolerated: the others get the deployment, the refusing cluster none of the replicas.
      const tolerant = deployContext({
        namespace: 'dry-run',
        manifests: web('web:d'),
        placement: { clusterSelector: 'env=prod' },
        replicas: { totalReplicas: 3 },
        rollout: { maxFailures: 1 },
      });
      await act.handler(tolerant.ctx as any);
      expect(tolerant.outputs.plan).toEqual([
        { cluster: 'emulator-1', replicas: { 'dry-run/web': 3 } },
      ]);
      expect(
        tolerant.outputs.results.map((r: any) => [r.cluster, r.status]),
      ).toEqual([
        ['emulator-1', 'ready'],
        ['emulator-3', 'failed'],
        ['emulator-4', 'skipped'],
      ]);
      expect(await deploymentImages('dry-run')).toEqual([
        'web:d',
        'none',
        'none',
        'none',
      ]);
    } finally {
      await readOnly.stop();
    }
  });

  it('refuses a placement that selects nothing, naming the reason', async () => {
    const { ctx } = deployContext({
      manifests: web('x'),
      placement: { clusterSelector: 'env=staging' },
    });
    await expect(action().handler(ctx as any)).rejects.toThrow(
      'No cluster matches the placement',
    );
    const bad = deployContext({
      manifests: web('x'),
      placement: { clusterSelector: '' },
      overrides: [
        {
          clusterName: 'emulator-1',
          kind: 'Service',
          patches: [{ op: 'remove', path: '/spec' }],
        },
      ],
    });
    await expect(action().handler(bad.ctx as any)).rejects.toThrow(
      /overrides\.0 \(kind Service\) matches no object/,
    );
  });
});
