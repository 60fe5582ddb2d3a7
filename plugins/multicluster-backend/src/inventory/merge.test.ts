/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import { clusterIdFor, normaliseServerUrl, slugify } from './clusterId';
import { planDiscovery, type ProviderRound, type SourceRecord } from './merge';

const creds = async () => ({ type: 'anonymous' as const });
const dc = (
  sourceId: string,
  url: string,
  extra: Partial<DiscoveredCluster> = {},
): DiscoveredCluster => ({
  sourceId,
  name: sourceId,
  url,
  credentials: creds,
  cloud: 'other',
  ...extra,
});
const ok = (
  provider: string,
  clusters: DiscoveredCluster[],
  complete = true,
  failedScopes: string[] = [],
  getScope?: (s: string) => string,
): ProviderRound => ({
  provider,
  ok: true,
  clusters,
  complete,
  failedScopes,
  getScope,
});
const order = new Map([
  ['config', 0],
  ['kubeconfig', 1],
  ['aws', 2],
]);

function apply(
  existingSources: SourceRecord[],
  rounds: ProviderRound[],
  now = 1000,
) {
  const existingIds = new Map<string, string>();
  for (const s of existingSources) existingIds.set(s.urlKey, s.clusterId);
  return planDiscovery({
    existingSources,
    existingIds,
    rounds,
    providerOrder: order,
    now,
  });
}

describe('normaliseServerUrl / ids', () => {
  it.each([
    ['https://API.Example.com:443/', 'https://api.example.com'],
    ['https://api.example.com:6443', 'https://api.example.com:6443'],
    [
      'https://user:secret@api.example.com/k8s/clusters/c-1/',
      'https://api.example.com/k8s/clusters/c-1',
    ],
    ['http://localhost:80', 'http://localhost'],
    ['https://1.2.3.4?x=1#f', 'https://1.2.3.4'],
  ])('%s', (input, expected) => {
    expect(normaliseServerUrl(input)).toBe(expected);
  });

  it('rejects non-http URLs without echoing credentials', () => {
    expect(() => normaliseServerUrl('ftp://x')).toThrow(/http\(s\)/);
    expect(() => normaliseServerUrl('not a url with secret@')).toThrow(
      TypeError,
    );
  });

  it('derives URL-safe, stable ids', () => {
    const id = clusterIdFor('Prod EU / 1', 'https://api.example.com');
    expect(id).toMatch(/^prod-eu-1-[0-9a-f]{8}$/);
    expect(clusterIdFor('Prod EU / 1', 'https://api.example.com')).toBe(id);
    expect(clusterIdFor('Prod EU / 1', 'https://api2.example.com')).not.toBe(
      id,
    );
    expect(slugify('***')).toBe('cluster');
  });
});

describe('planDiscovery', () => {
  it('merges one API server listed by two providers into one cluster with two sources', () => {
    const plan = apply(
      [],
      [
        ok('kubeconfig', [
          dc('kind-dev', 'https://127.0.0.1:6443/', {
            labels: { a: 'kube', shared: 'kube' },
            cloud: 'local',
          }),
        ]),
        ok('config', [
          dc('dev', 'https://127.0.0.1:6443', {
            labels: { b: 'cfg', shared: 'cfg' },
            region: 'home',
          }),
        ]),
      ],
    );
    expect(plan.clusters).toHaveLength(1);
    const [c] = plan.clusters;
    expect(plan.sources.filter(s => s.clusterId === c.id)).toHaveLength(2);
    // config has priority: it names the cluster and wins label conflicts.
    expect(c.name).toBe('dev');
    expect(c.labels).toEqual({ a: 'kube', b: 'cfg', shared: 'cfg' });
    expect(c.cloud).toBe('local');
    expect(c.region).toBe('home');
  });

  it('keeps the first id of a URL even when names change', () => {
    const first = apply(
      [],
      [ok('config', [dc('dev', 'https://a.example.com')])],
    );
    const id = first.clusters[0].id;
    const second = apply(first.sources, [
      ok('config', [
        dc('renamed', 'https://a.example.com', { name: 'renamed' }),
      ]),
    ]);
    expect(second.clusters.map(c => c.id)).toEqual([id]);
    expect(second.clusters[0].name).toBe('renamed');
  });

  it('marks a failed provider stale and keeps its clusters', () => {
    const first = apply(
      [],
      [ok('aws', [dc('arn:1', 'https://eks-1.example.com')])],
      1000,
    );
    const second = apply(
      first.sources,
      [{ provider: 'aws', ok: false, error: 'throttled' }],
      2000,
    );
    expect(second.clusters).toHaveLength(1);
    expect(second.clusters[0]).toMatchObject({ stale: true, lastSeenAt: 1000 });
    expect(second.removedClusterIds).toEqual([]);
  });

  it('removes a cluster only when its provider positively no longer lists it', () => {
    const first = apply(
      [],
      [
        ok('aws', [
          dc('arn:1', 'https://eks-1.example.com'),
          dc('arn:2', 'https://eks-2.example.com'),
        ]),
      ],
    );
    const partial = apply(first.sources, [
      ok('aws', [dc('arn:1', 'https://eks-1.example.com')], false),
    ]);
    expect(partial.clusters).toHaveLength(2);
    const complete = apply(first.sources, [
      ok('aws', [dc('arn:1', 'https://eks-1.example.com')], true),
    ]);
    expect(complete.clusters).toHaveLength(1);
    expect(complete.removedClusterIds).toEqual([
      first.clusters.find(c => c.name === 'arn:2')!.id,
    ]);
  });

  it('keeps clusters of a failed scope, stale, on a complete answer', () => {
    const scope = (s: string) => s.split(':')[0];
    const first = apply(
      [],
      [
        ok(
          'aws',
          [
            dc('eu:1', 'https://eu.example.com'),
            dc('us:1', 'https://us.example.com'),
          ],
          true,
          [],
          scope,
        ),
      ],
    );
    const second = apply(
      first.sources,
      [ok('aws', [dc('eu:1', 'https://eu.example.com')], true, ['us'], scope)],
      5000,
    );
    expect(second.clusters).toHaveLength(2);
    expect(second.clusters.find(c => c.name === 'us:1')).toMatchObject({
      stale: true,
    });
    expect(second.clusters.find(c => c.name === 'eu:1')).toMatchObject({
      stale: false,
      lastSeenAt: 5000,
    });
  });

  it('is stale only when every source is stale', () => {
    const first = apply(
      [],
      [
        ok('config', [dc('dev', 'https://x.example.com')]),
        ok('aws', [dc('arn', 'https://x.example.com')]),
      ],
    );
    const second = apply(first.sources, [
      ok('config', [dc('dev', 'https://x.example.com')]),
      { provider: 'aws', ok: false, error: 'down' },
    ]);
    expect(second.clusters[0].stale).toBe(false);
  });

  it('rejects invalid URLs and duplicate source ids without failing the round', () => {
    const plan = apply(
      [],
      [
        ok('config', [
          dc('bad', 'nope'),
          dc('a', 'https://a.example.com'),
          dc('a', 'https://b.example.com'),
        ]),
      ],
    );
    expect(plan.clusters).toHaveLength(1);
    expect(plan.rejected.map(r => r.sourceId)).toEqual(['bad', 'a']);
  });

  it('never stores userinfo of a URL', () => {
    const plan = apply(
      [],
      [ok('config', [dc('a', 'https://admin:hunter2@a.example.com')])],
    );
    expect(JSON.stringify(plan)).not.toContain('hunter2');
  });
});
