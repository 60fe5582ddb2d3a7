/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { definitionType } from '../api/schema';
import { applyJsonPatch, applyMergePatch, PatchError } from './jsonPatch';
import { applyStrategicMergePatch } from './strategic';
import {
  applyConfiguration,
  fieldValues,
  fromFieldsV1,
  toFieldsV1,
  trackUpdate,
} from './managedFields';

const DEPLOYMENT = definitionType('io.k8s.api.apps.v1.Deployment');

function deployment(containers: any[], extra: Record<string, any> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
      ...extra,
    },
  };
}

describe('JSON patch (RFC 6902)', () => {
  const doc = { a: { b: [1, 2, 3] }, c: 'x' };

  it('applies add, remove, replace, move, copy and test without touching the input', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/b/1', value: 9 },
      { op: 'remove', path: '/a/b/0' },
      { op: 'replace', path: '/c', value: 'y' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/d', path: '/e~1f' },
      { op: 'add', path: '/a/b/-', value: 4 },
      { op: 'test', path: '/c', value: 'y' },
    ]);
    expect(out).toEqual({ a: { b: [9, 2, 3, 4] }, c: 'y', 'e/f': 'y' });
    expect(doc).toEqual({ a: { b: [1, 2, 3] }, c: 'x' });
  });

  it('fails tests and missing paths with 422, malformed patches with 400', () => {
    expect(() =>
      applyJsonPatch(doc, [{ op: 'test', path: '/c', value: 'no' }]),
    ).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/zzz' }])).toThrow(
      /nonexistent/,
    );
    let malformed: unknown;
    try {
      applyJsonPatch(doc, { op: 'add' });
    } catch (e) {
      malformed = e;
    }
    expect(malformed).toBeInstanceOf(PatchError);
    expect(malformed).toMatchObject({ code: 400 });
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, deletes nulls and replaces lists', () => {
    expect(
      applyMergePatch(
        { a: { b: 1, c: 2 }, l: [1, 2] },
        { a: { b: null, d: 3 }, l: [3] },
      ),
    ).toEqual({
      a: { c: 2, d: 3 },
      l: [3],
    });
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and env by name, and replaces atomic lists', () => {
    const live = deployment([
      {
        name: 'app',
        image: 'app:1',
        env: [{ name: 'A', value: '1' }],
        args: ['--x'],
      },
      { name: 'proxy', image: 'envoy:1' },
    ]);
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'app:2',
                  env: [{ name: 'B', value: '2' }],
                  args: ['--y'],
                },
                { name: 'new', image: 'new:1' },
              ],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    const containers = out.spec.template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual(['app', 'proxy', 'new']);
    expect(containers[0]).toEqual({
      name: 'app',
      image: 'app:2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      args: ['--y'],
    });
  });

  it('honours $patch: delete, $patch: replace, $setElementOrder, $retainKeys and $deleteFromPrimitiveList', () => {
    const live = deployment(
      [
        { name: 'a', image: 'a' },
        { name: 'b', image: 'b' },
        { name: 'c', image: 'c' },
      ],
      {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      },
    );
    (live.metadata as any).finalizers = ['x', 'y'];
    const out = applyStrategicMergePatch(
      live,
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] },
        spec: {
          strategy: { $retainKeys: ['type'], type: 'Recreate' },
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
              containers: [{ name: 'b', $patch: 'delete' }],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    expect(out.metadata.finalizers).toEqual(['y']);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual([
      'c',
      'a',
    ]);

    const replaced = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [{ $patch: 'replace' }, { name: 'z', image: 'z' }],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    expect(replaced.spec.template.spec.containers).toEqual([
      { name: 'z', image: 'z' },
    ]);
  });
});

describe('managed fields and server-side apply', () => {
  it('round-trips field sets through FieldsV1', () => {
    const values = fieldValues(
      deployment([
        { name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] },
      ]),
      DEPLOYMENT,
      'main',
    );
    const fields = toFieldsV1(values.keys());
    expect(
      fields['f:spec']['f:template']['f:spec']['f:containers'][
        'k:{"name":"app"}'
      ],
    ).toEqual({
      '.': {},
      'f:name': {},
      'f:image': {},
      'f:ports': {
        'k:{"containerPort":80,"protocol":"TCP"}': {
          '.': {},
          'f:containerPort': {},
        },
      },
    });
    expect(fields['f:metadata']['f:labels']).toEqual({ '.': {}, 'f:app': {} });
    expect(fromFieldsV1(fields)).toEqual(new Set(values.keys()));
  });

  it('conflicts on fields another manager set to another value, unless forced', () => {
    const created = deployment([{ name: 'app', image: 'app:1' }]);
    (created.metadata as any).managedFields = trackUpdate({
      previous: undefined,
      next: created,
      manager: 'kubectl-client-side-apply',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
    });
    const sameValues = applyConfiguration({
      live: created,
      config: deployment([{ name: 'app', image: 'app:1' }]),
      manager: 'kubectl',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
      force: false,
    });
    expect(sameValues.conflicts).toEqual([]);

    const config = deployment([{ name: 'app', image: 'app:2' }]);
    config.spec.replicas = 5;
    const result = applyConfiguration({
      live: created,
      config,
      manager: 'kubectl',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
      force: false,
    });
    expect(result.conflicts.map(c => `${c.manager} ${c.field}`).sort()).toEqual(
      [
        'kubectl-client-side-apply .spec.replicas',
        'kubectl-client-side-apply .spec.template.spec.containers[name="app"].image',
      ],
    );
    const forced = applyConfiguration({
      live: created,
      config,
      manager: 'kubectl',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
      force: true,
    });
    expect(forced.conflicts).toEqual([]);
    expect(forced.object.spec.replicas).toBe(5);
    const managers = forced.object.metadata.managedFields.map(
      (m: any) => `${m.manager}/${m.operation}`,
    );
    expect(managers).toEqual([
      'kubectl-client-side-apply/Update',
      'kubectl/Apply',
    ]);
  });

  it('removes fields the manager stops applying, but not those others own', () => {
    const first = applyConfiguration({
      live: undefined,
      config: deployment(
        [
          { name: 'app', image: 'app:1' },
          { name: 'sidecar', image: 'side:1' },
        ],
        { minReadySeconds: 5 },
      ),
      manager: 'ci',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
      force: false,
    }).object;
    // Another manager labels the object; the applier drops the sidecar and minReadySeconds.
    const labelled = {
      ...first,
      metadata: { ...first.metadata, labels: { app: 'web', team: 'a' } },
    };
    labelled.metadata.managedFields = trackUpdate({
      previous: first,
      next: labelled,
      manager: 'kubectl-label',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
    });
    const second = applyConfiguration({
      live: labelled,
      config: deployment([{ name: 'app', image: 'app:1' }]),
      manager: 'ci',
      apiVersion: 'apps/v1',
      type: DEPLOYMENT,
      force: false,
    });
    expect(second.conflicts).toEqual([]);
    expect(
      second.object.spec.template.spec.containers.map((c: any) => c.name),
    ).toEqual(['app']);
    expect(second.object.spec.minReadySeconds).toBeUndefined();
    expect(second.object.metadata.labels).toEqual({ app: 'web', team: 'a' });
  });
});
