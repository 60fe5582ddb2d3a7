/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { DEFAULT_FIELD_MANAGER, parseDeployInput } from './input';

describe('parseDeployInput', () => {
  it('fills the defaults', () => {
    expect(
      parseDeployInput({
        manifests: 'kind: x',
        placement: { clusterSelector: 'env=prod' },
        replicas: { totalReplicas: 3 },
      }),
    ).toEqual({
      manifests: 'kind: x',
      namespace: 'default',
      placement: { clusterSelector: 'env=prod' },
      replicas: {
        totalReplicas: 3,
        preferences: { '*': { weight: 1 } },
        rebalance: false,
      },
      overrides: [],
      rollout: {
        maxConcurrent: 5,
        maxFailures: 0,
        waitForReady: true,
        timeoutSeconds: 300,
      },
      onFailure: 'rollback',
      fieldManager: DEFAULT_FIELD_MANAGER,
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'neither manifests nor a path',
      { placement: {} },
      /manifests: give exactly one of manifests/,
    ],
    [
      'both manifests and a path',
      { manifests: 'a: b', manifestsPath: 'k8s', placement: {} },
      /manifests: give exactly one of manifests/,
    ],
    [
      'manifests of the wrong type',
      { manifests: 42, placement: {} },
      /manifests: manifests must be YAML text/,
    ],
    ['no placement', { manifests: 'a: b' }, /placement: Required/],
    [
      'a bad selector',
      { manifests: 'a: b', placement: { clusterSelector: 'a in b' } },
      /placement\.clusterSelector/,
    ],
    [
      'a bad namespace',
      { manifests: 'a: b', placement: {}, namespace: 'Shop' },
      /namespace: namespace must be a DNS label/,
    ],
    [
      'negative replicas',
      { manifests: 'a: b', placement: {}, replicas: { totalReplicas: -1 } },
      /replicas\.totalReplicas: totalReplicas must be at least 0/,
    ],
    [
      'a bad preference',
      {
        manifests: 'a: b',
        placement: {},
        replicas: { totalReplicas: 1, preferences: { a: { weight: -1 } } },
      },
      /replicas\.preferences\.a\.weight/,
    ],
    [
      'maxConcurrent 0',
      { manifests: 'a: b', placement: {}, rollout: { maxConcurrent: 0 } },
      /rollout\.maxConcurrent: maxConcurrent must be at least 1/,
    ],
    [
      'a long timeout',
      { manifests: 'a: b', placement: {}, rollout: { timeoutSeconds: 7200 } },
      /rollout\.timeoutSeconds: timeoutSeconds must be at most 3600/,
    ],
    [
      'an unknown rollout field',
      { manifests: 'a: b', placement: {}, rollout: { parallel: 3 } },
      /rollout: Unrecognized key.*parallel/,
    ],
    [
      'a bad onFailure',
      { manifests: 'a: b', placement: {}, onFailure: 'retry' },
      /onFailure: onFailure must be rollback or keep/,
    ],
    [
      'a bad patch op',
      {
        manifests: 'a: b',
        placement: {},
        overrides: [
          { clusterName: 'a', patches: [{ op: 'move', path: '/a' }] },
        ],
      },
      /overrides\.0\.patches\.0.*op must be one of add, remove, replace/,
    ],
    [
      'empty patches',
      {
        manifests: 'a: b',
        placement: {},
        overrides: [{ clusterName: 'a', patches: [] }],
      },
      /overrides\.0\.patches: patches must hold at least one operation/,
    ],
    [
      'a field manager with spaces',
      { manifests: 'a: b', placement: {}, fieldManager: 'my team' },
      /fieldManager: fieldManager must be printable ASCII/,
    ],
    [
      'an unknown field',
      { manifests: 'a: b', placement: {}, dryRun: true },
      /Unrecognized key.*dryRun/,
    ],
  ])('names the field for %s', (_title, input, message) => {
    let error: Error | undefined;
    try {
      parseDeployInput(input);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^Invalid input: /),
    });
    expect(error?.message).toMatch(message);
  });
});
