/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// What a probe round hands the store, without a fleet: outcomes classified by the
// prober's own classifyProbe from the emulator's own /readyz?verbose answers (34
// checks per reachable cluster, as a kube-apiserver 1.31 reports), produced either
// at the pace of a round at its floor (concurrency × latency per cluster) or at once.
// Not a benchmark itself: the leading `_` keeps run.mjs from running it.
import { setTimeout as sleep } from 'node:timers/promises';
import { backend, require, root } from './_inventory-lib.mjs';
import { HEALTHS } from './_inventory-api-lib.mjs';

const { classifyProbe } = require(backend('src/prober/classify.ts'));
const {
  answerHealth,
} = require(`${root}/packages/kube-emulator/src/api/health.ts`);

const verbose = new URLSearchParams('verbose');
const readyz = failing => {
  const { status, body } = answerHealth('readyz', undefined, verbose, failing);
  return { kind: 'response', status, body };
};
const nodes = (ready, total) => ({
  ready,
  total,
  notReady: Array.from({ length: total - ready }, (_, i) => `node-${i}`),
  allocatable: { cpu: 12, memoryBytes: 48 * 2 ** 30, pods: 330 },
  kubeletVersions: ['v1.31.4'],
  labelSample: [],
  providerIds: [],
});

/** One observation per health, what the prober would have seen. */
const OBSERVATIONS = {
  healthy: {
    healthAttempts: [{ endpoint: '/readyz', outcome: readyz([]) }],
    gitVersion: 'v1.31.4',
    nodes: nodes(3, 3),
  },
  degraded: {
    healthAttempts: [
      {
        endpoint: '/readyz',
        outcome: readyz(['poststarthook/apiservice-openapi-controller']),
      },
    ],
    gitVersion: 'v1.31.4',
    nodes: nodes(2, 3),
  },
  unhealthy: {
    healthAttempts: [{ endpoint: '/readyz', outcome: readyz(['etcd']) }],
    gitVersion: 'v1.31.4',
    nodes: nodes(3, 3),
  },
  unreachable: {
    healthAttempts: [
      {
        endpoint: '/readyz',
        outcome: {
          kind: 'error',
          error: { kind: 'timeout', message: 'no answer within 5000 ms' },
        },
      },
    ],
  },
  unauthorized: {
    healthAttempts: [
      {
        endpoint: '/readyz',
        outcome: { kind: 'response', status: 401, body: 'Unauthorized' },
      },
    ],
  },
};

const CLASSIFIED = Object.fromEntries(
  Object.entries(OBSERVATIONS).map(([h, obs]) => [h, classifyProbe(obs)]),
);

/**
 * The health cluster i reports in probe round r: the seed's spread, and 3% of the
 * clusters flipped (healthy ↔ degraded) for two rounds at a time, so damping
 * (flapThreshold 2) applies a transition to about 1.5% per round.
 */
export function observedHealth(i, r) {
  const base = HEALTHS[i % HEALTHS.length];
  const flipped = (i * 7919 + Math.floor(r / 2) * 104729) % 100 < 3;
  if (!flipped) return base;
  return base === 'healthy' ? 'degraded' : 'healthy';
}

/** The bench cluster's number, from its name (`cluster-00042`): stable across rounds. */
const indexOf = target => Number(target.name.slice('cluster-'.length));

/** The outcome of probing `target` in round r, classified by the prober's code. */
export function outcomeOf(target, r, at = Date.now()) {
  const i = indexOf(target);
  const obs = OBSERVATIONS[observedHealth(i, r)];
  // Classified once per health: parsing /readyz is the prober's work, spread over its round.
  const classification = CLASSIFIED[observedHealth(i, r)];
  return {
    id: target.id,
    at,
    latencyMs: 80 + ((i * 31 + r) % 40),
    classification,
    ...(obs.gitVersion ? { version: obs.gitVersion } : {}),
    ...(obs.nodes
      ? {
          nodes: { ready: obs.nodes.ready, total: obs.nodes.total },
          allocatable: obs.nodes.allocatable,
          kubeletVersions: obs.nodes.kubeletVersions,
        }
      : {}),
  };
}

/**
 * Probes every target the way a round at its floor does: `concurrency` at a time,
 * each taking `latencyMs`, so N targets take N × latency / concurrency.
 */
export async function pacedOutcomes(targets, r, concurrency, latencyMs) {
  const outcomes = new Array(targets.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < targets.length) {
        const i = next++;
        await sleep(latencyMs);
        outcomes[i] = outcomeOf(targets[i], r);
      }
    }),
  );
  return outcomes;
}
