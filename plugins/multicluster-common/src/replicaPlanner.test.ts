/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import {
  fnv1Hash32,
  planReplicas,
  PlanReplicasInput,
  ReplicaPreference,
} from './replicaPlanner';

type Prefs = Record<string, ReplicaPreference>;

interface Case {
  name: string;
  preferences: Prefs;
  total: number;
  clusters: string[];
  rebalance?: boolean;
  current?: Record<string, number>;
  capacity?: Record<string, number>;
  plan: Record<string, number>;
  overflow?: Record<string, number>;
}

// Ported from kubefed pkg/controller/util/planner/planner_test.go. Go's doCheck
// and doCheckWithExisting plan with rebalance=false and expect no overflow;
// doCheckWithExistingAndCapacity sets rebalance and checks the overflow map.
// "hash dependent" results are the FNV-1 tie-break with an empty key.
const kubefedCases: Case[] = [
  // TestEqual
  {
    name: 'equal 50 over A,B,C (hash dependent)',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 16, B: 17, C: 17 },
  },
  {
    name: 'equal 50 over A,B',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B'],
    plan: { A: 25, B: 25 },
  },
  {
    name: 'equal 1 over A,B (hash dependent)',
    preferences: { '*': { weight: 1 } },
    total: 1,
    clusters: ['A', 'B'],
    plan: { A: 0, B: 1 },
  },
  {
    name: 'equal 1 over A..D (hash dependent)',
    preferences: { '*': { weight: 1 } },
    total: 1,
    clusters: ['A', 'B', 'C', 'D'],
    plan: { A: 0, B: 0, C: 0, D: 1 },
  },
  {
    name: 'equal 1 over A',
    preferences: { '*': { weight: 1 } },
    total: 1,
    clusters: ['A'],
    plan: { A: 1 },
  },
  {
    name: 'equal 1 over nothing',
    preferences: { '*': { weight: 1 } },
    total: 1,
    clusters: [],
    plan: {},
  },

  // TestEqualWithExisting
  {
    name: 'existing C30',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    current: { C: 30 },
    plan: { A: 10, B: 10, C: 30 },
  },
  {
    name: 'existing A30',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B'],
    current: { A: 30 },
    plan: { A: 30, B: 20 },
  },
  {
    name: 'existing A0 B8',
    preferences: { '*': { weight: 1 } },
    total: 15,
    clusters: ['A', 'B'],
    current: { A: 0, B: 8 },
    plan: { A: 7, B: 8 },
  },
  {
    name: 'existing A1 B8',
    preferences: { '*': { weight: 1 } },
    total: 15,
    clusters: ['A', 'B'],
    current: { A: 1, B: 8 },
    plan: { A: 7, B: 8 },
  },
  {
    name: 'existing A4 B8',
    preferences: { '*': { weight: 1 } },
    total: 15,
    clusters: ['A', 'B'],
    current: { A: 4, B: 8 },
    plan: { A: 7, B: 8 },
  },
  {
    name: 'existing A5 B8',
    preferences: { '*': { weight: 1 } },
    total: 15,
    clusters: ['A', 'B'],
    current: { A: 5, B: 8 },
    plan: { A: 7, B: 8 },
  },
  {
    name: 'existing A6 B8',
    preferences: { '*': { weight: 1 } },
    total: 15,
    clusters: ['A', 'B'],
    current: { A: 6, B: 8 },
    plan: { A: 7, B: 8 },
  },
  {
    name: 'existing A7 B8',
    preferences: { '*': { weight: 1 } },
    total: 15,
    clusters: ['A', 'B'],
    current: { A: 7, B: 8 },
    plan: { A: 7, B: 8 },
  },
  {
    name: 'existing A300000',
    preferences: { '*': { weight: 1 } },
    total: 500000,
    clusters: ['A', 'B'],
    current: { A: 300000 },
    plan: { A: 300000, B: 200000 },
  },
  {
    name: 'existing A10',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B'],
    current: { A: 10 },
    plan: { A: 25, B: 25 },
  },
  // KubeFed: "TODO: Should be 10:40, update algorithm. Issue: #31816" — reproduced as is.
  {
    name: 'existing A10 B70 (hash dependent)',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B'],
    current: { A: 10, B: 70 },
    plan: { A: 0, B: 50 },
  },
  {
    name: 'existing A30, total 1',
    preferences: { '*': { weight: 1 } },
    total: 1,
    clusters: ['A', 'B'],
    current: { A: 30 },
    plan: { A: 1, B: 0 },
  },
  {
    name: 'existing A10 B20',
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B'],
    current: { A: 10, B: 20 },
    plan: { A: 25, B: 25 },
  },

  // TestWithExistingAndCapacity
  {
    name: 'capacity C10, rebalance',
    rebalance: true,
    preferences: { '*': { weight: 1 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    current: {},
    capacity: { C: 10 },
    plan: { A: 20, B: 20, C: 10 },
    overflow: { C: 7 },
  },
  {
    name: 'capacity B10, missing heavy A, rebalance',
    rebalance: true,
    preferences: { A: { weight: 10000 }, B: { weight: 1 } },
    total: 50,
    clusters: ['B', 'C'],
    current: {},
    capacity: { B: 10 },
    plan: { B: 10, C: 0 },
    overflow: { B: 40 },
  },
  {
    name: 'capacity B10 weights 1:2, rebalance',
    rebalance: true,
    preferences: { A: { weight: 1 }, B: { weight: 2 } },
    total: 60,
    clusters: ['A', 'B', 'C'],
    current: {},
    capacity: { B: 10 },
    plan: { A: 50, B: 10, C: 0 },
    overflow: { B: 30 },
  },
  {
    name: 'capacity C10 with max, rebalance',
    rebalance: true,
    preferences: {
      A: { weight: 10000, maxReplicas: 10 },
      B: { weight: 1 },
      C: { weight: 1, maxReplicas: 21 },
      D: { weight: 1, maxReplicas: 10 },
    },
    total: 71,
    clusters: ['A', 'B', 'C', 'D'],
    current: {},
    capacity: { C: 10 },
    plan: { A: 10, B: 41, C: 10, D: 10 },
    overflow: { C: 11 },
  },
  {
    name: 'capacity A10 B10, no rebalance',
    rebalance: false,
    preferences: { A: { weight: 1 }, B: { weight: 1 } },
    total: 60,
    clusters: ['A', 'B', 'C'],
    current: {},
    capacity: { A: 10, B: 10 },
    plan: { A: 10, B: 10, C: 0 },
    overflow: { A: 20, B: 20 },
  },
  {
    name: 'capacity B10 weights 1:5, no rebalance',
    rebalance: false,
    preferences: { A: { weight: 1 }, B: { weight: 5 } },
    total: 60,
    clusters: ['A', 'B', 'C'],
    current: {},
    capacity: { B: 10 },
    plan: { A: 50, B: 10, C: 0 },
    overflow: {},
  },
  {
    name: 'capacity B10 min 20 weight 0, no rebalance',
    rebalance: false,
    preferences: { '*': { minReplicas: 20, weight: 0 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    current: {},
    capacity: { B: 10 },
    plan: { A: 20, B: 10, C: 20 },
    overflow: {},
  },
  {
    name: 'capacity B10 min 20 weight 1, rebalance',
    rebalance: true,
    preferences: { '*': { minReplicas: 20, weight: 1 } },
    total: 60,
    clusters: ['A', 'B'],
    current: {},
    capacity: { B: 10 },
    plan: { A: 50, B: 10 },
    overflow: { B: 15 },
  },

  // TestMin
  {
    name: 'min 2 weight 0',
    preferences: { '*': { minReplicas: 2, weight: 0 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 2, B: 2, C: 2 },
  },
  {
    name: 'min 20 weight 0 (hash dependent)',
    preferences: { '*': { minReplicas: 20, weight: 0 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 10, B: 20, C: 20 },
  },
  {
    name: 'min 100 on heavier A',
    preferences: {
      '*': { minReplicas: 20, weight: 0 },
      A: { minReplicas: 100, weight: 1 },
    },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 50, B: 0, C: 0 },
  },
  {
    name: 'min 10 max 12',
    preferences: { '*': { minReplicas: 10, weight: 1, maxReplicas: 12 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 12, B: 12, C: 12 },
  },

  // TestMax
  {
    name: 'max 2 weight 1',
    preferences: { '*': { weight: 1, maxReplicas: 2 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 2, B: 2, C: 2 },
  },
  {
    name: 'max 2 weight 0',
    preferences: { '*': { weight: 0, maxReplicas: 2 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 0, B: 0, C: 0 },
  },

  // TestWeight
  {
    name: 'weights 1:2',
    preferences: { A: { weight: 1 }, B: { weight: 2 } },
    total: 60,
    clusters: ['A', 'B', 'C'],
    plan: { A: 20, B: 40, C: 0 },
  },
  {
    name: 'weights 10000:1',
    preferences: { A: { weight: 10000 }, B: { weight: 1 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 50, B: 0, C: 0 },
  },
  {
    name: 'weights 10000:1 without A',
    preferences: { A: { weight: 10000 }, B: { weight: 1 } },
    total: 50,
    clusters: ['B', 'C'],
    plan: { B: 50, C: 0 },
  },
  {
    name: 'heavy A max 10',
    preferences: {
      A: { weight: 10000, maxReplicas: 10 },
      B: { weight: 1 },
      C: { weight: 1 },
    },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 10, B: 20, C: 20 },
  },
  {
    name: 'heavy A max 10, C max 10',
    preferences: {
      A: { weight: 10000, maxReplicas: 10 },
      B: { weight: 1 },
      C: { weight: 1, maxReplicas: 10 },
    },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 10, B: 30, C: 10 },
  },
  {
    name: 'four clusters with maxes',
    preferences: {
      A: { weight: 10000, maxReplicas: 10 },
      B: { weight: 1 },
      C: { weight: 1, maxReplicas: 21 },
      D: { weight: 1, maxReplicas: 10 },
    },
    total: 71,
    clusters: ['A', 'B', 'C', 'D'],
    plan: { A: 10, B: 30, C: 21, D: 10 },
  },
  {
    name: 'five clusters with maxes',
    preferences: {
      A: { weight: 10000, maxReplicas: 10 },
      B: { weight: 1 },
      C: { weight: 1, maxReplicas: 21 },
      D: { weight: 1, maxReplicas: 10 },
      E: { weight: 1 },
    },
    total: 91,
    clusters: ['A', 'B', 'C', 'D', 'E'],
    plan: { A: 10, B: 25, C: 21, D: 10, E: 25 },
  },
];

// The examples of the KubeFed user guide (ReplicaSchedulingPreference section).
const userGuideCases: Case[] = [
  {
    name: 'guide: min/max/weight',
    preferences: {
      A: { minReplicas: 4, maxReplicas: 6, weight: 1 },
      B: { minReplicas: 4, maxReplicas: 8, weight: 2 },
    },
    total: 9,
    clusters: ['A', 'B', 'C'],
    plan: { A: 4, B: 5, C: 0 },
  },
  {
    name: 'guide: weights only',
    preferences: { A: { weight: 1 }, B: { weight: 2 } },
    total: 9,
    clusters: ['A', 'B', 'C'],
    plan: { A: 3, B: 6, C: 0 },
  },
  {
    name: 'guide: star and capped C',
    preferences: { '*': { weight: 1 }, C: { maxReplicas: 20, weight: 1 } },
    total: 50,
    clusters: ['A', 'B', 'C'],
    plan: { A: 16, B: 17, C: 17 },
  },
  {
    name: 'guide: star and capped C over A,C',
    preferences: { '*': { weight: 1 }, C: { maxReplicas: 20, weight: 1 } },
    total: 50,
    clusters: ['A', 'C'],
    plan: { A: 30, C: 20 },
  },
];

describe('planReplicas', () => {
  it.each([...kubefedCases, ...userGuideCases])('$name', c => {
    const input: PlanReplicasInput = {
      totalReplicas: c.total,
      clusters: c.clusters,
      preferences: c.preferences,
      rebalance: c.rebalance,
      current: c.current,
      capacity: c.capacity,
    };
    const { plan, overflow } = planReplicas(input);
    expect(plan).toEqual(c.plan);
    expect(overflow).toEqual(c.overflow ?? {});
  });

  it('gives 0 to clusters with no preference and no "*"', () => {
    expect(
      planReplicas({
        totalReplicas: 10,
        clusters: ['x', 'y'],
        preferences: { x: { weight: 1 } },
      }).plan,
    ).toEqual({ x: 10, y: 0 });
  });

  it('keeps current replicas without rebalance and moves them with it', () => {
    const base = {
      totalReplicas: 10,
      clusters: ['A', 'B'],
      preferences: { '*': { weight: 1 } },
      current: { A: 10 },
    };
    expect(planReplicas(base).plan).toEqual({ A: 10, B: 0 });
    expect(planReplicas({ ...base, rebalance: true }).plan).toEqual({
      A: 5,
      B: 5,
    });
  });

  it('changes the equal-weight tie-break with the key', () => {
    const winners = new Set<string>();
    for (const key of ['web', 'api', 'worker', 'db', 'cache', 'queue']) {
      const { plan } = planReplicas({
        totalReplicas: 1,
        clusters: ['A', 'B', 'C', 'D'],
        preferences: { '*': { weight: 1 } },
        key,
      });
      const winner = Object.entries(plan).find(([, n]) => n === 1)![0];
      // The winner is the smallest FNV-1 hash of name + key.
      const expected = ['A', 'B', 'C', 'D'].sort(
        (a, b) => fnv1Hash32(a + key) - fnv1Hash32(b + key),
      )[0];
      expect(winner).toBe(expected);
      winners.add(winner);
    }
    expect(winners.size).toBeGreaterThan(1);
  });

  it('always places every replica when nothing caps the clusters', () => {
    // Deterministic pseudo-random inputs (LCG), bounded count.
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 200; i++) {
      const clusters = Array.from({ length: 1 + rand(6) }, (_, j) => `c${j}`);
      const preferences: Prefs = {};
      for (const c of clusters) {
        preferences[c] = { weight: 1 + rand(5), minReplicas: rand(3) };
      }
      const total = rand(100);
      const { plan, overflow } = planReplicas({
        totalReplicas: total,
        clusters,
        preferences,
      });
      expect(Object.values(plan).reduce((a, b) => a + b, 0)).toBe(total);
      expect(overflow).toEqual({});
    }
  });

  it('is exact where total * weight passes 2^53', () => {
    // Each share is (2147483646 * 2^30 + 2^31 - 1) / 2^31 rounded down = 1073741823;
    // in doubles the "+ 2^31 - 1" rounds to 2^31 and the first cluster would get one more.
    const { plan } = planReplicas({
      totalReplicas: 2147483646,
      clusters: ['A', 'B'],
      preferences: { '*': { weight: 2 ** 30 } },
    });
    expect(plan).toEqual({ A: 1073741823, B: 1073741823 });
  });

  it('does not pick up preferences from the object prototype', () => {
    expect(
      planReplicas({
        totalReplicas: 3,
        clusters: ['constructor', 'toString'],
        preferences: {},
      }).plan,
    ).toEqual({ constructor: 0, toString: 0 });
  });

  it.each([
    [{ totalReplicas: -1 }, 'totalReplicas: totalReplicas must be 0 or more'],
    [{ totalReplicas: NaN }, 'totalReplicas: totalReplicas must be a number'],
    [
      { totalReplicas: 1.5 },
      'totalReplicas: totalReplicas must be a whole number',
    ],
    [{ totalReplicas: 2 ** 31 }, 'totalReplicas must be at most 2147483647'],
    [
      { preferences: { A: { minReplicas: 4, maxReplicas: 2 } } },
      'preferences.A.minReplicas: minReplicas (4) must not exceed maxReplicas (2)',
    ],
    [
      { preferences: { A: { weight: -1 } } },
      'preferences.A.weight: weight must be 0 or more',
    ],
    [
      { preferences: { A: { wieght: 1 } } },
      "Unrecognized key(s) in object: 'wieght'",
    ],
    [
      { clusters: ['A', 'A'] },
      'clusters: cluster "A" is listed more than once',
    ],
    [{ capacity: { A: -3 } }, 'capacity.A: capacity must be 0 or more'],
    [{ current: { A: 'x' } }, 'current.A: current replicas must be a number'],
  ])('rejects bad input %j', (patch, message) => {
    const input = {
      totalReplicas: 5,
      clusters: ['A', 'B'],
      preferences: { '*': { weight: 1 } },
      ...patch,
    } as unknown as PlanReplicasInput;
    expect(() => planReplicas(input)).toThrow(InputError);
    expect(() => planReplicas(input)).toThrow(message);
  });
});

describe('fnv1Hash32', () => {
  // Go's hash/fnv golden values for New32 (FNV-1), which differ from FNV-1a.
  it.each([
    ['', 0x811c9dc5],
    ['a', 0x050c5d7e],
    ['ab', 0x70772d38],
    ['abc', 0x439c2f4b],
  ])('hashes %j', (text, expected) => {
    expect(fnv1Hash32(text)).toBe(expected);
  });

  it('hashes UTF-8 bytes', () => {
    // "é" is two bytes (0xc3 0xa9): multiply-xor twice from the offset basis.
    const step = (h: number, b: number) => (Math.imul(h, 16777619) ^ b) >>> 0;
    expect(fnv1Hash32('é')).toBe(step(step(0x811c9dc5, 0xc3), 0xa9));
  });
});
