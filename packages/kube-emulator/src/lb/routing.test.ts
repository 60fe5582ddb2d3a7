/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { isBalancerAddress } from './addresses';
import { readyEndpoints, routeIngress } from './routing';

const backend = (name: string, port: number | string = 80) => ({
  service: {
    name,
    port: typeof port === 'number' ? { number: port } : { name: port },
  },
});

const INGRESS = {
  metadata: { name: 'site', namespace: 'shop' },
  spec: {
    defaultBackend: backend('fallback'),
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: backend('web', 'http') },
            { path: '/api', pathType: 'Prefix', backend: backend('api') },
            { path: '/api/v2', pathType: 'Exact', backend: backend('api-v2') },
            {
              path: '/static/',
              pathType: 'ImplementationSpecific',
              backend: backend('cdn'),
            },
          ],
        },
      },
      {
        host: '*.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: backend('wild') }],
        },
      },
      {
        http: {
          paths: [
            { path: '/health', pathType: 'Exact', backend: backend('health') },
          ],
        },
      },
    ],
  },
};

describe('routeIngress', () => {
  it.each([
    ['shop.example.com', '/', 'web'],
    ['shop.example.com:80', '/cart', 'web'],
    ['SHOP.example.com', '/api', 'api'],
    ['shop.example.com', '/api/orders', 'api'],
    ['shop.example.com', '/apix', 'web'],
    ['shop.example.com', '/api/v2', 'api-v2'],
    ['shop.example.com', '/api/v2/x', 'api'],
    ['shop.example.com', '/static/logo.png', 'cdn'],
    ['blog.example.com', '/anything', 'wild'],
    ['a.b.example.com', '/health', 'health'],
    ['other.test', '/health', 'health'],
    ['other.test', '/', 'fallback'],
  ])('%s%s -> %s', (host, path, service) => {
    expect(routeIngress(INGRESS, host, path)?.service).toBe(service);
  });

  it('keeps the backend port, by name or number, and has no answer without a default', () => {
    expect(routeIngress(INGRESS, 'shop.example.com', '/')).toEqual({
      service: 'web',
      port: 'http',
    });
    const noDefault = { ...INGRESS, spec: { rules: INGRESS.spec.rules } };
    expect(routeIngress(noDefault, 'other.test', '/')).toBeUndefined();
  });
});

describe('readyEndpoints', () => {
  const pod = (
    name: string,
    labels: Record<string, string>,
    ready: boolean,
    extra = {},
  ) => ({
    metadata: { name, labels, ...extra },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  });

  it('selects Ready, running, not terminating pods matching the selector', () => {
    const svc = {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' } },
    };
    const pods = [
      pod('b', { app: 'web' }, true),
      pod('a', { app: 'web', tier: 'x' }, true),
      pod('c', { app: 'web' }, false),
      pod('d', { app: 'api' }, true),
      pod('e', { app: 'web' }, true, {
        deletionTimestamp: '2026-01-01T00:00:00Z',
      }),
    ];
    expect(readyEndpoints(svc, pods).map(p => p.metadata.name)).toEqual([
      'a',
      'b',
    ]);
    expect(readyEndpoints({ metadata: {}, spec: {} }, pods)).toEqual([]);
  });
});

describe('isBalancerAddress', () => {
  it.each([
    ['127.12.34.56', true],
    ['127.1.0.1', true],
    ['127.0.0.1', false],
    ['127.0.1.1', false],
    ['127.5.5.0', false],
    ['127.5.5.255', false],
    ['10.1.2.3', false],
    ['127.256.1.1', false],
    [undefined, false],
  ])('%s: %s', (ip, ok) => {
    expect(isBalancerAddress(ip)).toBe(ok);
  });
});
