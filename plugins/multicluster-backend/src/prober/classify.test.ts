/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  classifyProbe,
  parseVerboseChecks,
  type HttpOutcome,
  type ProbeObservation,
} from './classify';
import { summariseNodes } from './nodes';

const ok = (
  body = '[+]ping ok\n[+]etcd ok\nreadyz check passed',
): HttpOutcome => ({ kind: 'response', status: 200, body });
const status = (code: number, body = ''): HttpOutcome => ({
  kind: 'response',
  status: code,
  body,
});
const err = (kind: any, message = 'x'): HttpOutcome => ({
  kind: 'error',
  error: { kind, message },
});
const node = (name: string, ready: boolean) => ({
  metadata: { name },
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
    nodeInfo: { kubeletVersion: 'v1.31.4' },
  },
});
const nodes = (ready: number, notReady: number) =>
  summariseNodes([
    ...Array.from({ length: ready }, (_, i) => node(`r${i}`, true)),
    ...Array.from({ length: notReady }, (_, i) => node(`n${i}`, false)),
  ]);

describe('classifyProbe', () => {
  const cases: Array<[string, ProbeObservation, string, RegExp]> = [
    [
      'all ready',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        nodes: nodes(3, 0),
      },
      'healthy',
      /ready/,
    ],
    [
      'timeout',
      {
        healthAttempts: [
          {
            endpoint: '/readyz',
            outcome: err('timeout', 'no answer within 5000 ms'),
          },
        ],
      },
      'unreachable',
      /^timeout/,
    ],
    [
      'refused',
      {
        healthAttempts: [
          {
            endpoint: '/readyz',
            outcome: err('connection-refused', 'ECONNREFUSED'),
          },
        ],
      },
      'unreachable',
      /^connection refused/,
    ],
    [
      'tls',
      {
        healthAttempts: [
          { endpoint: '/readyz', outcome: err('tls', 'CERT_HAS_EXPIRED') },
        ],
      },
      'unreachable',
      /^TLS error: CERT_HAS_EXPIRED/,
    ],
    [
      'dns',
      {
        healthAttempts: [
          { endpoint: '/readyz', outcome: err('dns', 'ENOTFOUND') },
        ],
      },
      'unreachable',
      /^DNS error/,
    ],
    [
      '401',
      { healthAttempts: [{ endpoint: '/readyz', outcome: status(401) }] },
      'unauthorized',
      /401/,
    ],
    [
      '403 everywhere',
      {
        healthAttempts: [
          { endpoint: '/readyz', outcome: status(403) },
          { endpoint: '/livez', outcome: status(403) },
          { endpoint: '/healthz', outcome: status(403) },
        ],
      },
      'unauthorized',
      /forbidden/,
    ],
    [
      'readyz 404, livez ok',
      {
        healthAttempts: [
          { endpoint: '/readyz', outcome: status(404) },
          { endpoint: '/livez', outcome: ok('ok') },
        ],
        nodes: nodes(2, 0),
      },
      'healthy',
      /via \/livez/,
    ],
    [
      'critical check failing',
      {
        healthAttempts: [
          {
            endpoint: '/readyz',
            outcome: status(
              500,
              '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed',
            ),
          },
        ],
      },
      'unhealthy',
      /readyz check failed: etcd/,
    ],
    [
      'only non-critical failing',
      {
        healthAttempts: [
          {
            endpoint: '/readyz',
            outcome: status(
              500,
              '[+]ping ok\n[-]poststarthook/apiservice-openapiv3-controller failed: reason withheld',
            ),
          },
        ],
      },
      'degraded',
      /non-critical check failed: poststarthook\/apiservice-openapiv3-controller/,
    ],
    [
      '5xx without checks',
      {
        healthAttempts: [
          { endpoint: '/readyz', outcome: status(503, 'upstream') },
        ],
      },
      'unhealthy',
      /HTTP 503/,
    ],
    [
      'some nodes NotReady',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        nodes: nodes(2, 1),
      },
      'degraded',
      /1 of 3 nodes NotReady/,
    ],
    [
      'no ready nodes',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        nodes: nodes(0, 3),
      },
      'unhealthy',
      /no ready nodes \(0\/3\)/,
    ],
    [
      'no nodes at all',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        nodes: nodes(0, 0),
      },
      'unhealthy',
      /no nodes registered/,
    ],
    [
      'nodes not readable',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        nodes: { error: 'HTTP 403', status: 403 },
      },
      'healthy',
      /ready/,
    ],
    [
      'public readyz but credentials rejected',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        nodes: { error: 'HTTP 401', status: 401 },
      },
      'unauthorized',
      /nodes returned 401/,
    ],
    [
      'credentials failed',
      {
        healthAttempts: [],
        credentialsError: 'exec plugin aws exited with code 255',
      },
      'unauthorized',
      /could not obtain credentials: exec plugin aws/,
    ],
    [
      'provisioning and unreachable',
      {
        healthAttempts: [
          { endpoint: '/readyz', outcome: err('connection-refused') },
        ],
        providerState: 'provisioning',
        providerStateReason: 'EKS status CREATING',
      },
      'unknown',
      /provider reports provisioning \(EKS status CREATING\)/,
    ],
    [
      'provisioning but answering',
      {
        healthAttempts: [{ endpoint: '/readyz', outcome: ok() }],
        providerState: 'provisioning',
        nodes: nodes(1, 0),
      },
      'healthy',
      /ready/,
    ],
    ['never probed', { healthAttempts: [] }, 'unknown', /never probed/],
  ];

  it.each(cases)('%s', (_name, obs, health, reason) => {
    const result = classifyProbe(obs);
    expect(result.health).toBe(health);
    expect(result.reason).toMatch(reason);
  });

  it('lists the failing checks', () => {
    const result = classifyProbe({
      healthAttempts: [
        {
          endpoint: '/readyz',
          outcome: status(
            500,
            '[+]ping ok\n[-]etcd failed: reason withheld\n[-]informer-sync failed',
          ),
        },
      ],
    });
    expect(result.checks.filter(c => !c.ok).map(c => c.name)).toEqual([
      'etcd',
      'informer-sync',
    ]);
    expect(result.reason).toBe('readyz checks failed: etcd, informer-sync');
  });

  it('honours a configured non-critical list', () => {
    const result = classifyProbe(
      {
        healthAttempts: [
          {
            endpoint: '/readyz',
            outcome: status(500, '[-]informer-sync failed'),
          },
        ],
      },
      { nonCriticalChecks: ['informer-sync'] },
    );
    expect(result.health).toBe('degraded');
  });
});

describe('parseVerboseChecks', () => {
  it('parses kube-apiserver verbose output', () => {
    expect(
      parseVerboseChecks(
        '[+]ping ok\n[-]etcd failed: reason withheld\nnoise\nreadyz check failed',
      ),
    ).toEqual([
      { name: 'ping', ok: true },
      { name: 'etcd', ok: false, message: 'reason withheld' },
    ]);
  });
});
