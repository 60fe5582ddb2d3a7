/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import {
  applyOverrides,
  clusterOverridesSchema,
  JsonPatchOperation,
  OverrideError,
  overridesForCluster,
  parseJsonPointer,
} from './overrides';

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
    annotations: { 'a~b': 'tilde' },
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1', args: ['--a', '--b'] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  },
});

describe('parseJsonPointer', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['/', ['']],
    ['/a/b', ['a', 'b']],
    ['/a~1b', ['a/b']],
    ['/m~0n', ['m~n']],
    // ~01 is "~1" literally: ~1 is unescaped first, then ~0 (RFC 6901 order).
    ['/~01', ['~1']],
    ['/a/0/-', ['a', '0', '-']],
  ])('%j → %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
  });

  it.each(['a/b', '/a~2', '/a~'])('rejects %j', pointer => {
    expect(() => parseJsonPointer(pointer)).toThrow(InputError);
  });
});

describe('applyOverrides', () => {
  it.each<
    [
      string,
      JsonPatchOperation[],
      (d: ReturnType<typeof deployment>) => unknown,
    ]
  >([
    [
      'replace a scalar',
      [{ op: 'replace', path: '/spec/replicas', value: 5 }],
      d => {
        d.spec.replicas = 5;
      },
    ],
    [
      'add a new member',
      [{ op: 'add', path: '/metadata/labels/region', value: 'eu' }],
      d => {
        (d.metadata.labels as Record<string, string>).region = 'eu';
      },
    ],
    [
      'add replaces an existing member',
      [{ op: 'add', path: '/metadata/labels/app', value: 'shop' }],
      d => {
        d.metadata.labels.app = 'shop';
      },
    ],
    [
      'escape ~1 in a key',
      [
        {
          op: 'replace',
          path: '/metadata/labels/app.kubernetes.io~1name',
          value: 'x',
        },
      ],
      d => {
        d.metadata.labels['app.kubernetes.io/name'] = 'x';
      },
    ],
    [
      'escape ~0 in a key',
      [{ op: 'remove', path: '/metadata/annotations/a~0b' }],
      d => {
        delete (d.metadata.annotations as Record<string, string>)['a~b'];
      },
    ],
    [
      'insert into an array',
      [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/args/1',
          value: '--x',
        },
      ],
      d => {
        d.spec.template.spec.containers[0].args!.splice(1, 0, '--x');
      },
    ],
    [
      'insert at the end index',
      [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/args/2',
          value: '--x',
        },
      ],
      d => {
        d.spec.template.spec.containers[0].args!.push('--x');
      },
    ],
    [
      'append with -',
      [
        {
          op: 'add',
          path: '/spec/template/spec/containers/-',
          value: { name: 'log', image: 'log:1' },
        },
      ],
      d => {
        (d.spec.template.spec.containers as unknown[]).push({
          name: 'log',
          image: 'log:1',
        });
      },
    ],
    [
      'replace an array item',
      [
        {
          op: 'replace',
          path: '/spec/template/spec/containers/1/image',
          value: 'proxy:2',
        },
      ],
      d => {
        d.spec.template.spec.containers[1].image = 'proxy:2';
      },
    ],
    [
      'remove an array item',
      [{ op: 'remove', path: '/spec/template/spec/containers/0/args/0' }],
      d => {
        d.spec.template.spec.containers[0].args!.shift();
      },
    ],
    [
      'remove a member',
      [{ op: 'remove', path: '/metadata/annotations' }],
      d => {
        delete (d.metadata as Partial<typeof d.metadata>).annotations;
      },
    ],
    [
      'replace with an object',
      [{ op: 'replace', path: '/metadata/labels', value: { app: 'web' } }],
      d => {
        d.metadata.labels = { app: 'web' } as typeof d.metadata.labels;
      },
    ],
    [
      'set null',
      [{ op: 'replace', path: '/spec/replicas', value: null }],
      d => {
        (d.spec as Record<string, unknown>).replicas = null;
      },
    ],
    [
      'operations apply in order',
      [
        { op: 'add', path: '/spec/paused', value: true },
        { op: 'replace', path: '/spec/paused', value: false },
        { op: 'add', path: '/metadata/labels/n', value: '1' },
        { op: 'remove', path: '/metadata/labels/n' },
      ],
      d => {
        (d.spec as Record<string, unknown>).paused = false;
      },
    ],
    [
      'an empty key is a member name',
      [{ op: 'add', path: '/metadata/labels/', value: 'e' }],
      d => {
        (d.metadata.labels as Record<string, string>)[''] = 'e';
      },
    ],
  ])('%s', (_name, ops, mutate) => {
    const input = deployment();
    const expected = deployment();
    mutate(expected);
    expect(applyOverrides(input, ops)).toEqual(expected);
    expect(input).toEqual(deployment());
  });

  it('never shares structure with the input or the patch values', () => {
    const input = deployment();
    const value = { app: 'x' };
    const output = applyOverrides(input, [
      { op: 'replace', path: '/metadata/labels', value },
    ]);
    output.spec.template.spec.containers[0].image = 'changed';
    value.app = 'changed';
    expect(input.spec.template.spec.containers[0].image).toBe('web:1');
    expect(output.metadata.labels).toEqual({ app: 'x' });
  });

  it('keeps __proto__ as plain data', () => {
    const output = applyOverrides(
      { kind: 'ConfigMap', data: {} } as Record<string, unknown>,
      [{ op: 'add', path: '/data/__proto__', value: { polluted: true } }],
    );
    const data = output.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[JsonPatchOperation[], number, string, string]>([
    [
      [{ op: 'replace', path: '/metadata/name', value: 'x' }],
      0,
      '/metadata/name',
      '/metadata/name identifies the object',
    ],
    [
      [{ op: 'remove', path: '/metadata/namespace' }],
      0,
      '/metadata/namespace',
      '/metadata/namespace identifies the object',
    ],
    [
      [{ op: 'add', path: '/metadata/generateName', value: 'x-' }],
      0,
      '/metadata/generateName',
      'identifies the object',
    ],
    [
      [{ op: 'replace', path: '/kind', value: 'StatefulSet' }],
      0,
      '/kind',
      '/kind identifies the object',
    ],
    [
      [{ op: 'replace', path: '/apiVersion', value: 'v2' }],
      0,
      '/apiVersion',
      'identifies the object',
    ],
    [
      [{ op: 'remove', path: '/metadata' }],
      0,
      '/metadata',
      'would change /metadata/name',
    ],
    [
      [{ op: 'replace', path: '', value: {} }],
      0,
      '',
      'the whole manifest cannot be replaced',
    ],
    [
      [
        { op: 'replace', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/metadata/name', value: 'x' },
      ],
      1,
      '/metadata/name',
      'identifies the object',
    ],
    [
      [{ op: 'replace', path: '/spec/missing', value: 1 }],
      0,
      '/spec/missing',
      'the target does not exist, so it cannot be replaced',
    ],
    [
      [{ op: 'remove', path: '/spec/missing' }],
      0,
      '/spec/missing',
      'cannot be removed',
    ],
    [
      [{ op: 'add', path: '/spec/missing/deeper', value: 1 }],
      0,
      '/spec/missing/deeper',
      '/spec/missing does not exist',
    ],
    [
      [{ op: 'add', path: '/spec/replicas/x', value: 1 }],
      0,
      '/spec/replicas/x',
      'the parent of the target is not an object or an array',
    ],
    [
      [{ op: 'add', path: '/spec/replicas/x/y', value: 1 }],
      0,
      '/spec/replicas/x/y',
      '/spec/replicas cannot be traversed',
    ],
    [
      [{ op: 'add', path: '/spec/template/spec/containers/3', value: {} }],
      0,
      '/spec/template/spec/containers/3',
      'index 3 is out of range for add (the array has 2 items)',
    ],
    [
      [{ op: 'replace', path: '/spec/template/spec/containers/2', value: {} }],
      0,
      '/spec/template/spec/containers/2',
      'index 2 does not exist',
    ],
    [
      [{ op: 'remove', path: '/spec/template/spec/containers/-' }],
      0,
      '/spec/template/spec/containers/-',
      '"-" is not an array index',
    ],
    [
      [{ op: 'replace', path: '/spec/template/spec/containers/01', value: {} }],
      0,
      '/spec/template/spec/containers/01',
      'without leading zeros',
    ],
    [
      [
        {
          op: 'add',
          path: '/spec/template/spec/containers/x/image',
          value: 'i',
        },
      ],
      0,
      '/spec/template/spec/containers/x/image',
      'array index out of range or not a number',
    ],
  ])('refuses %j', (ops, index, path, problem) => {
    const input = deployment();
    let error: unknown;
    try {
      applyOverrides(input, ops);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OverrideError);
    expect(error).toBeInstanceOf(InputError);
    const e = error as OverrideError;
    expect(e.opIndex).toBe(index);
    expect(e.path).toBe(path);
    expect(e.message).toContain(`Override operation ${index} (path "${path}")`);
    expect(e.message).toContain(problem);
    expect(input).toEqual(deployment());
  });

  it.each<[unknown, number, string]>([
    [
      { op: 'move', from: '/a', path: '/b' },
      0,
      'op must be one of add, remove, replace',
    ],
    [
      { op: 'test', path: '/a', value: 1 },
      0,
      'op must be one of add, remove, replace',
    ],
    [
      { op: 'add', path: '/spec/x' },
      0,
      'value: value is required for add and replace',
    ],
    [
      { op: 'add', path: 'spec/x', value: 1 },
      0,
      'path: invalid path "spec/x": a JSON pointer is empty or starts with "/"',
    ],
    [{ op: 'remove', path: '/a~2b' }, 0, 'must be followed by 0'],
    [
      { op: 'remove', path: '/spec', extra: 1 },
      0,
      "Unrecognized key(s) in object: 'extra'",
    ],
    [
      { op: 'add', path: '/spec/x', value: () => 1 },
      0,
      'a function is not JSON data',
    ],
    [{ op: 'add', path: '/spec/x', value: NaN }, 0, 'NaN is not a JSON number'],
  ])('validates operation %j', (op, index, message) => {
    let error: unknown;
    try {
      applyOverrides(deployment(), [op as JsonPatchOperation]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(`Override operation ${index}`);
    expect((error as Error).message).toContain(message);
  });

  it('refuses a non-object manifest or a non-list of operations', () => {
    expect(() => applyOverrides([] as unknown as object, [])).toThrow(
      'Overrides apply to a manifest object',
    );
    expect(() =>
      applyOverrides({}, {} as unknown as JsonPatchOperation[]),
    ).toThrow('must be a list');
  });
});

describe('clusterOverridesSchema', () => {
  it('accepts per-cluster patches', () => {
    const overrides = [
      {
        clusterName: 'eu',
        patches: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      },
      { clusterName: 'us', patches: [] },
    ];
    expect(clusterOverridesSchema.parse(overrides)).toEqual(overrides);
  });

  it.each<[unknown, string]>([
    [[{ patches: [] }], 'clusterName is required'],
    [[{ clusterName: '', patches: [] }], 'clusterName must not be empty'],
    [[{ clusterName: 'eu' }], 'patches is required'],
    [
      [
        {
          clusterName: 'eu',
          patches: [{ op: 'copy', path: '/a', from: '/b' }],
        },
      ],
      'op must be one of add, remove, replace',
    ],
  ])('rejects %j', (value, message) => {
    const result = clusterOverridesSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(
      result.success ? '' : result.error.issues.map(i => i.message).join('; '),
    ).toContain(message);
  });
});

describe('overridesForCluster', () => {
  it('concatenates the patches of one cluster in order', () => {
    const a: JsonPatchOperation = { op: 'remove', path: '/a' };
    const b: JsonPatchOperation = { op: 'remove', path: '/b' };
    const c: JsonPatchOperation = { op: 'remove', path: '/c' };
    expect(
      overridesForCluster(
        [
          { clusterName: 'eu', patches: [a] },
          { clusterName: 'us', patches: [b] },
          { clusterName: 'eu', patches: [c] },
        ],
        'eu',
      ),
    ).toEqual([a, c]);
    expect(overridesForCluster(undefined, 'eu')).toEqual([]);
  });
});
