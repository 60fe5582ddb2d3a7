/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMulticlusterService } from '@archipelago/multicluster-node';
import { type Fleet, startFleet } from '@archipelago/kube-emulator';
import { mockServices } from '@backstage/backend-test-utils';
import { deployContext } from '../deploy/__testUtils__/context';
import { startFakeMulticluster } from '../deploy/__testUtils__/fakeMulticluster';
import { Kubectl } from '../deploy/__testUtils__/kubectl';
import { actorAwareMockAuth } from '@archipelago/multicluster-node-test-utils';
import { createDeployAction } from './deploy';

jest.setTimeout(120_000);

const previous = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "web:1" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { color: blue }
`;

const SECRET_VALUE = 'p4ssw0rd-never-logged';
const next = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "web:2" }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { color: green }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: extra }
data: { added: "yes" }
---
apiVersion: v1
kind: Secret
metadata: { name: db }
stringData: { password: ${SECRET_VALUE} }
`;

/** What kubectl shows of the deployment's objects on a cluster. */
async function state(kubectl: Kubectl) {
  const ns = await kubectl.run([
    'get',
    'namespace',
    'shop',
    '-o',
    'jsonpath={.metadata.name}',
  ]);
  const objects = await kubectl.run([
    'get',
    'deploy,configmap,secret',
    '-n',
    'shop',
    '-o',
    'jsonpath={range .items[*]}{.kind}/{.metadata.name}:{.spec.replicas}:{.spec.template.spec.containers[0].image}:{.data.color}{"\\n"}{end}',
  ]);
  return {
    namespace: ns.code === 0 ? ns.stdout : 'absent',
    objects: objects.stdout
      .trim()
      .split('\n')
      .filter(l => l && !l.startsWith('ConfigMap/kube-root-ca.crt'))
      .sort(),
  };
}

const BEFORE = ['ConfigMap/settings:::blue', 'Deployment/web:1:web:1:'];

/**
 * Acceptance: two clusters never become ready (pods stay unready for ten
 * minutes) and maxFailures is 1. The rollout, one cluster at a time, stops at
 * the second failure; every touched cluster is rolled back to what it had
 * (kubectl shows the previous objects, nothing new, and a namespace the
 * deployment created is gone); the task fails with a per-cluster report.
 */
describe('multicluster:deploy rollback', () => {
  let fleet: Fleet;
  let fake: Awaited<ReturnType<typeof startFakeMulticluster>>;
  const kubectls: Kubectl[] = [];

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: 7,
      nodes: 1,
      adminPort: null,
      podReadyDelayMs: 100,
      perCluster: i => (i === 3 || i === 5 ? { podReadyDelayMs: 600_000 } : {}),
    });
    for (const cluster of fleet.clusters) kubectls.push(new Kubectl(cluster));
    // The previous state everywhere but on emulator-4, which has no namespace shop.
    for (const [i, kubectl] of kubectls.entries()) {
      if (i === 3) continue;
      await kubectl.ok(['create', 'namespace', 'shop']);
      await kubectl.ok(['apply', '-f', '-'], { input: previous });
    }
    fake = await startFakeMulticluster(
      fleet.clusters.map(cluster => ({ cluster, labels: { env: 'prod' } })),
    );
  });

  afterAll(async () => {
    for (const k of kubectls) k.cleanup();
    await fake?.stop();
    await fleet?.stop();
  });

  it('stops past maxFailures, rolls every touched cluster back and fails with a per-cluster report', async () => {
    for (const [i, kubectl] of kubectls.entries()) {
      expect(await state(kubectl)).toEqual(
        i === 3
          ? { namespace: 'absent', objects: [] }
          : { namespace: 'shop', objects: BEFORE },
      );
    }
    const action = createDeployAction({
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
      multicluster: createMulticlusterService({
        auth: actorAwareMockAuth({ pluginId: 'scaffolder' }),
        discovery: fake.discovery as any,
      }),
    });
    const { ctx, logger, outputs } = deployContext({
      namespace: 'shop',
      manifests: next,
      placement: { clusterSelector: 'env=prod' },
      replicas: { totalReplicas: 14 },
      rollout: { maxConcurrent: 1, maxFailures: 1, timeoutSeconds: 3 },
      onFailure: 'rollback',
    });
    let error: Error | undefined;
    await action.handler(ctx as any).catch(e => {
      error = e;
    });
    expect(error?.message).toMatch(
      /^multicluster:deploy failed: 2 clusters failed \(maxFailures 1\); the rollout stopped and 5 touched clusters were rolled back\n/,
    );
    for (const line of [
      /emulator-1 +rolled-back +- +rolled out in [\d.]+ s; rolled back to the previous state/,
      /emulator-3 +rolled-back +- +not ready in time: Deployment shop\/web: 1 old replicas pending termination \(after 3\.\d s, timeoutSeconds 3\); rolled back/,
      /emulator-5 +rolled-back +- +not ready in time/,
      /emulator-6 +skipped +- +not started: the rollout stopped after 2 failed clusters \(maxFailures 1\)/,
      /emulator-7 +skipped/,
    ]) {
      expect(error?.message).toMatch(line);
    }
    expect(outputs.results.map((r: any) => [r.cluster, r.status])).toEqual([
      ['emulator-1', 'rolled-back'],
      ['emulator-2', 'rolled-back'],
      ['emulator-3', 'rolled-back'],
      ['emulator-4', 'rolled-back'],
      ['emulator-5', 'rolled-back'],
      ['emulator-6', 'skipped'],
      ['emulator-7', 'skipped'],
    ]);
    expect(outputs.summary).toEqual({
      ready: 0,
      applied: 0,
      failed: 0,
      skipped: 2,
      excluded: 0,
      rolledBack: 5,
    });

    // kubectl: the previous state on every touched cluster, the namespace created on emulator-4
    // emptied (the deploy identity may not delete namespaces), and the clusters never started untouched.
    for (const [i, kubectl] of kubectls.entries()) {
      expect([fleet.clusters[i].name, await state(kubectl)]).toEqual([
        fleet.clusters[i].name,
        i === 3
          ? { namespace: 'shop', objects: [] }
          : { namespace: 'shop', objects: BEFORE },
      ]);
    }

    const everything = `${error?.message}\n${JSON.stringify(
      outputs,
    )}\n${logger.lines.join('\n')}`;
    expect(everything).not.toContain(SECRET_VALUE);
    expect(everything).not.toContain(
      Buffer.from(SECRET_VALUE).toString('base64'),
    );
    expect(logger.lines.filter(l => l.includes('rolling back'))).toHaveLength(
      5,
    );
  });
});
