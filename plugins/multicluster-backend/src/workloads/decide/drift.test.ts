/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Manifest } from '@archipelago/multicluster-node';
import { leafDifferences, objectDrift } from './drift';

const deployment: Manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '500m', memory: '1Gi' } },
          },
        ],
      },
    },
  },
};

const live = (change: (o: any) => void = () => {}) => {
  const o: any = JSON.parse(JSON.stringify(deployment));
  o.metadata = {
    ...o.metadata,
    namespace: 'shop',
    uid: 'u',
    resourceVersion: '7',
    managedFields: [{ manager: 'archipelago-workloads' }],
  };
  o.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
  o.spec.template.spec.containers.push({ name: 'sidecar', image: 'envoy' });
  o.spec.template.spec.containers[0].resources.limits.cpu = '0.5';
  o.status = { readyReplicas: 3 };
  change(o);
  return o;
};

describe('objectDrift', () => {
  it.each<[string, ((o: any) => void) | 'missing', string[]]>([
    [
      'nothing changed (defaults, other managers, status, equal quantities)',
      () => {},
      [],
    ],
    [
      'kubectl scale',
      o => (o.spec.replicas = 5),
      ['Deployment shop/web: spec.replicas is 5, want 3'],
    ],
    [
      'kubectl set image',
      o => (o.spec.template.spec.containers[0].image = 'nginx:1.26'),
      [
        'Deployment shop/web: spec.template.spec.containers[web].image is nginx:1.26, want nginx:1.27',
      ],
    ],
    [
      'a label removed',
      o => delete o.metadata.labels.app,
      ['Deployment shop/web: metadata.labels.app is unset, want web'],
    ],
    [
      'a container removed',
      o => o.spec.template.spec.containers.splice(0, 1),
      ['Deployment shop/web: spec.template.spec.containers[web] is missing'],
    ],
    ['kubectl delete', 'missing', ['Deployment shop/web is missing']],
  ])('%s', (_title, change, expected) => {
    expect(
      objectDrift(
        deployment,
        change === 'missing' ? undefined : live(change),
        'shop',
      ),
    ).toEqual(expected);
  });

  it('compares a Secret by value without ever showing it', () => {
    const secret: Manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { password: 'hunter2-very-secret' },
      data: { user: Buffer.from('app').toString('base64') },
    };
    const same = {
      ...secret,
      stringData: undefined,
      data: {
        password: Buffer.from('hunter2-very-secret').toString('base64'),
        user: Buffer.from('app').toString('base64'),
      },
    };
    expect(objectDrift(secret, same, 'shop')).toEqual([]);
    const changed = objectDrift(
      secret,
      { ...same, data: { ...same.data, password: 'b3RoZXI=' } },
      'shop',
    );
    expect(changed).toEqual(['Secret shop/db: data.password differs']);
    expect(changed.join()).not.toMatch(/hunter2|b3RoZXI/);
  });
});

describe('leafDifferences', () => {
  it.each<[unknown, unknown, string[]]>([
    [{ a: 1 }, { a: '1' }, []],
    [{ a: [1, 2] }, { a: [1, 2] }, []],
    [{ a: [1, 2] }, { a: [2, 1] }, ['a']],
    [
      { ports: [{ port: 80, targetPort: 8080 }] },
      { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
      [],
    ],
    [{ ports: [{ port: 80 }] }, { ports: [{ port: 81 }] }, ['ports[80]']],
  ])('%j against %j', (desired, actual, paths) => {
    expect(leafDifferences(desired, actual).map(([p]) => p)).toEqual(paths);
  });
});
