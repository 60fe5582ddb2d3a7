/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type PlanCluster, type PlanInput, planRecords } from './planner';

const ip = (v: string) => ({ type: 'A' as const, values: [v], port: 8080 });
const aws: PlanCluster = {
  name: 'aws',
  geography: 'NA',
  region: 'us-east-1',
  address: ip('127.1.0.1'),
  clusterHealthy: true,
  ready: true,
};
const azure: PlanCluster = {
  name: 'azure',
  geography: 'EU',
  region: 'westeurope',
  address: ip('127.2.0.1'),
  clusterHealthy: true,
  ready: true,
};
const gcp: PlanCluster = {
  name: 'gcp',
  geography: 'AS',
  region: 'asia-east1',
  address: { type: 'CNAME', values: ['lb.gcp.example.net'] },
  clusterHealthy: true,
  ready: true,
};
const down = (c: PlanCluster): PlanCluster => ({ ...c, clusterHealthy: false });
const notReady = (c: PlanCluster): PlanCluster => ({ ...c, ready: false });

const base: PlanInput = {
  workload: 'shop',
  hostname: 'shop.example.com',
  policy: 'geolocation',
  defaultCluster: 'aws',
  clusters: [aws, azure, gcp],
};

/** `setIdentifier=cluster(geography|role|weight)` per answer, in order. */
function summary(input: Partial<PlanInput>): string[] {
  return planRecords({ ...base, ...input }).recordSet.answers.map(
    a =>
      `${a.setIdentifier}=${a.cluster}(${
        a.geography ?? a.failoverRole ?? a.weight ?? a.region
      })`,
  );
}

describe('planRecords', () => {
  it.each<[string, Partial<PlanInput>, string[]]>([
    [
      'geolocation: one answer per geography plus the default',
      {},
      ['AS=gcp(AS)', 'EU=azure(EU)', 'NA=aws(NA)', 'default=aws(*)'],
    ],
    [
      'geolocation: an unhealthy cluster leaves; its clients get the default',
      { clusters: [aws, down(azure), gcp] },
      ['AS=gcp(AS)', 'NA=aws(NA)', 'default=aws(*)'],
    ],
    [
      'geolocation: a not-ready workload leaves too',
      { clusters: [aws, notReady(azure), gcp] },
      ['AS=gcp(AS)', 'NA=aws(NA)', 'default=aws(*)'],
    ],
    [
      'geolocation: the default cluster down → the first serving cluster is the default',
      { clusters: [down(aws), azure, gcp] },
      ['AS=gcp(AS)', 'EU=azure(EU)', 'default=azure(*)'],
    ],
    [
      'geolocation: two clusters in one geography → the default one answers it',
      {
        clusters: [{ ...aws, geography: 'EU' }, azure],
      },
      ['EU=aws(EU)', 'default=aws(*)'],
    ],
    [
      'geolocation: a cluster of no geography only as the default',
      { clusters: [{ ...aws, geography: undefined }, azure] },
      ['EU=azure(EU)', 'default=aws(*)'],
    ],
    [
      'all unhealthy, serve-all (default): every addressed cluster answers',
      { clusters: [down(aws), down(azure)] },
      ['EU=azure(EU)', 'NA=aws(NA)', 'default=aws(*)'],
    ],
    [
      'all unhealthy, serve-none: nothing',
      { clusters: [down(aws), down(azure)], whenAllUnhealthy: 'serve-none' },
      [],
    ],
    [
      'no address yet: not published',
      { clusters: [{ ...aws, address: undefined }, azure] },
      ['EU=azure(EU)', 'default=azure(*)'],
    ],
    [
      'failover: the default is primary, the next secondary',
      { policy: 'failover' },
      ['aws=aws(primary)', 'azure=azure(secondary)'],
    ],
    [
      'failover: primary down → the next becomes primary',
      { policy: 'failover', clusters: [down(aws), azure, gcp] },
      ['azure=azure(primary)', 'gcp=gcp(secondary)'],
    ],
    [
      'weighted: one answer per serving cluster, weights clamped',
      {
        policy: 'weighted',
        clusters: [{ ...aws, weight: 3 }, { ...azure, weight: 900 }, down(gcp)],
      },
      ['aws=aws(3)', 'azure=azure(255)'],
    ],
    [
      'latency: by region',
      { policy: 'latency', clusters: [aws, { ...azure, region: undefined }] },
      ['aws=aws(us-east-1)'],
    ],
    ['no clusters: nothing', { clusters: [] }, []],
  ])('%s', (_, input, expected) => {
    expect(summary(input)).toEqual(expected);
  });

  it('gives types, TTL, health checks and notes', () => {
    const plan = planRecords({
      ...base,
      ttl: 60,
      clusters: [
        aws,
        down(azure),
        gcp,
        { ...aws, name: 'bare', address: undefined },
      ],
    });
    expect(plan.recordSet.ttl).toBe(60);
    const byId = Object.fromEntries(
      plan.recordSet.answers.map(a => [a.setIdentifier, a]),
    );
    expect(byId.AS).toMatchObject({
      type: 'CNAME',
      values: ['lb.gcp.example.net'],
      health: 'healthy',
    });
    expect(byId.NA.healthCheck).toEqual({
      address: '127.1.0.1',
      port: 8080,
      path: '/',
      protocol: 'HTTP',
    });
    expect(plan.notes).toEqual({
      azure: 'the cluster is unhealthy',
      bare: 'no load balancer address yet',
    });
    expect(plan.allUnhealthy).toBe(false);
  });

  it('uses the default TTL of 30 seconds', () => {
    expect(planRecords(base).recordSet.ttl).toBe(30);
  });
});
