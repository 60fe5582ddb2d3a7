/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  parseWorkloadRequest,
  workloadAnnotationNames,
  workloadRollbackRequestSchema,
} from './workloads';

const base = {
  name: 'web',
  owner: 'group:default/team-a',
  manifests: 'kind: ConfigMap',
  placement: { clusterSelector: 'env=prod' },
};

describe('parseWorkloadRequest', () => {
  it('applies the defaults', () => {
    expect(parseWorkloadRequest(base)).toEqual({
      ...base,
      namespace: 'default',
      overrides: [],
      rollout: {
        maxConcurrent: 5,
        maxFailures: 0,
        soakSeconds: 0,
        timeoutSeconds: 300,
      },
      failover: {},
      onClusterRemoved: 'delete',
    });
    expect(
      parseWorkloadRequest({ ...base, replicas: { totalReplicas: 3 } })
        .replicas,
    ).toEqual({
      totalReplicas: 3,
      preferences: { '*': { weight: 1 } },
      rebalance: false,
    });
  });

  it.each<[string, object, RegExp]>([
    [
      'a bad name',
      { name: 'Web_1' },
      /^Invalid workload: name: name must be 1-63/,
    ],
    [
      'a bad owner',
      { owner: 'group:default/' },
      /owner: owner must be an entity ref/,
    ],
    [
      'no placement',
      { placement: {} },
      /placement: placement needs clusterNames or a clusterSelector/,
    ],
    [
      'a bad selector',
      { placement: { clusterSelector: 'env in (' } },
      /placement.clusterSelector/,
    ],
    [
      'includeUnreachable',
      { placement: { clusterSelector: '', includeUnreachable: true } },
      /Unrecognized key\(s\) in object: 'includeUnreachable'/,
    ],
    [
      'empty manifests',
      { manifests: [] },
      /manifests: manifests must not be empty/,
    ],
    [
      'manifests of the wrong type',
      { manifests: 3 },
      /manifests must be YAML text/,
    ],
    [
      'a bad rollout',
      { rollout: { maxConcurrent: 0 } },
      /rollout.maxConcurrent: maxConcurrent must be at least 1/,
    ],
    [
      'a long soak',
      { rollout: { soakSeconds: 4000 } },
      /soakSeconds must be at most 3600/,
    ],
    [
      'a bad policy',
      { onClusterRemoved: 'keep' },
      /onClusterRemoved must be one of delete, orphan/,
    ],
    [
      'a bad namespace',
      { namespace: 'Shop' },
      /namespace: namespace must be a DNS label/,
    ],
    [
      'a bad dns policy',
      { dns: { hostname: 'shop.example.com', policy: 'random' } },
      /dns.policy: policy must be one of geolocation, failover, weighted, latency/,
    ],
    [
      'a dns name that is no hostname',
      { dns: { hostname: 'shop', policy: 'failover' } },
      /dns.hostname/,
    ],
    [
      'dns with service and ingress',
      {
        dns: {
          hostname: 'a.example.com',
          policy: 'failover',
          service: 'a',
          ingress: 'b',
        },
      },
      /dns.service: give service or ingress, not both/,
    ],
    ['an unknown field', { replica: 3 }, /Unrecognized key/],
    [
      'a bad preference',
      { replicas: { totalReplicas: 2, preferences: { '*': { weight: -1 } } } },
      /replicas.preferences.\*.weight/,
    ],
    [
      'an override without patches',
      { overrides: [{ clusterName: 'a', patches: [] }] },
      /overrides.0.patches: patches must hold at least one operation/,
    ],
  ])('refuses %s, naming the field', (_title, change, message) => {
    expect(() => parseWorkloadRequest({ ...base, ...change })).toThrow(message);
  });

  it('parses a rollback', () => {
    expect(workloadRollbackRequestSchema.parse({ revision: 2 })).toEqual({
      revision: 2,
    });
    expect(
      workloadRollbackRequestSchema.safeParse({ revision: 0 }).success,
    ).toBe(false);
  });
});

describe('workloadAnnotationNames', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['web', ['web']],
    [' web , api,web,Bad_Name ', ['web', 'api']],
  ])('%j → %j', (value, names) => {
    expect(workloadAnnotationNames(value)).toEqual(names);
  });
});
