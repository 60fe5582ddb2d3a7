/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  describeManifest,
  isWorkload,
  matchesTarget,
  normaliseManifests,
  parseManifestText,
  workloadKey,
} from './manifests';

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 2 },
  ...extra,
});

describe('parseManifestText', () => {
  it('reads every document and skips empty ones', () => {
    const objects = parseManifestText(
      [
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: { name: a }',
        '---',
        '# only a comment',
        '---',
        'apiVersion: v1',
        'kind: Secret',
        'metadata: { name: b }',
        '',
      ].join('\n'),
      'manifests',
    );
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } },
    ]);
  });

  it('names the document, line and column of a YAML error without quoting the text', () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: { name: s }',
      'stringData:',
      '  password: "hunter2-very-secret',
      '---',
      'a: b',
    ].join('\n');
    let error: Error | undefined;
    try {
      parseManifestText(text, 'k8s/app.yaml');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(
      /^k8s\/app\.yaml: YAML document 1 is invalid \([A-Z_]+ at line \d+, column \d+\)$/,
    );
    expect(error?.message).not.toContain('hunter2');
  });

  it('refuses duplicate keys and alias bombs', () => {
    expect(() => parseManifestText('a: 1\na: 2\n', 'manifests')).toThrow(
      /DUPLICATE_KEY/,
    );
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(() => parseManifestText(bomb, 'manifests')).toThrow(/alias/i);
  });
});

describe('normaliseManifests', () => {
  it('orders objects for apply, dependencies first, stable within a kind', () => {
    const out = normaliseManifests(
      [
        deployment('web'),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
        },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      ],
      'shop',
    );
    expect(out.map(m => describeManifest(m))).toEqual([
      'Namespace shop',
      'Secret tls',
      'ConfigMap b',
      'ConfigMap a',
      'Service web',
      'Deployment web',
      'Widget w',
    ]);
  });

  it('expands Lists and drops status and server-owned metadata', () => {
    const [m] = normaliseManifests(
      [
        {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            deployment('web', {
              status: { readyReplicas: 1 },
              metadata: {
                name: 'web',
                namespace: 'shop',
                uid: 'u',
                resourceVersion: '7',
                managedFields: [],
                creationTimestamp: 'x',
                labels: { a: 'b' },
              },
            }),
          ],
        },
      ],
      'shop',
    );
    expect(m).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { a: 'b' } },
      spec: { replicas: 2 },
    });
  });

  it.each<[string, unknown[], RegExp]>([
    ['an empty input', [], /no Kubernetes object found/],
    ['a scalar', ['hello'], /document 1: must be a Kubernetes object/],
    [
      'no apiVersion',
      [{ kind: 'ConfigMap', metadata: { name: 'a' } }],
      /document 1: apiVersion is required/,
    ],
    [
      'a bad kind',
      [{ apiVersion: 'v1', kind: 'configmap', metadata: { name: 'a' } }],
      /document 1: kind is required/,
    ],
    [
      'no metadata',
      [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      /document 1: metadata is required/,
    ],
    [
      'generateName',
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { generateName: 'a-' },
        },
      ],
      /generateName cannot be applied/,
    ],
    [
      'a slash in a name',
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a/b' } }],
      /metadata\.name is required/,
    ],
    [
      'another namespace',
      [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'a', namespace: 'other' },
        },
      ],
      /"other" does not match the namespace of the deployment, "shop"/,
    ],
    [
      'a duplicate',
      [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      ],
      /document 2: ConfigMap "a" is also defined in document 1/,
    ],
    [
      'two workloads with one name',
      [
        deployment('web'),
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'web' },
        },
      ],
      /a workload named "web" is also defined in document 1/,
    ],
    [
      'a List item',
      [{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1' }] }],
      /document 1, item 1: kind is required/,
    ],
  ])('refuses %s', (_title, objects, message) => {
    expect(() => normaliseManifests(objects, 'shop')).toThrow(message);
  });
});

describe('helpers', () => {
  it('tells workloads, keys and targets', () => {
    const [web] = normaliseManifests([deployment('web')], 'shop');
    expect(isWorkload(web)).toBe(true);
    expect(
      isWorkload({ apiVersion: 'extensions/v1beta1', kind: 'Deployment' }),
    ).toBe(false);
    expect(isWorkload({ apiVersion: 'apps/v1', kind: 'DaemonSet' })).toBe(
      false,
    );
    expect(workloadKey(web, 'shop')).toBe('shop/web');
    expect(describeManifest(web, 'shop')).toBe('Deployment shop/web');
    expect(matchesTarget(web, {})).toBe(true);
    expect(matchesTarget(web, { kind: 'Deployment' })).toBe(true);
    expect(matchesTarget(web, { kind: 'Deployment', name: 'api' })).toBe(false);
    expect(matchesTarget(web, { name: 'web' })).toBe(true);
  });
});
