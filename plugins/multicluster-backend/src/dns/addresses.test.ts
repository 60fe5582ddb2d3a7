/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { addressOf } from './addresses';

describe('addressOf', () => {
  it.each<[string, any, any]>([
    [
      'an IP with a remapped port',
      {
        kind: 'Service',
        spec: { ports: [{ port: 80 }] },
        status: {
          loadBalancer: {
            ingress: [{ ip: '127.8.1.2', ports: [{ port: 41873 }] }],
          },
        },
      },
      { type: 'A', values: ['127.8.1.2'], port: 41873 },
    ],
    [
      'the Service port when none is recorded',
      {
        kind: 'Service',
        spec: { ports: [{ port: 8080 }] },
        status: {
          loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { ip: '10.0.0.1' }] },
        },
      },
      { type: 'A', values: ['10.0.0.1', '10.0.0.2'], port: 8080 },
    ],
    [
      'an ELB hostname',
      {
        kind: 'Service',
        status: {
          loadBalancer: { ingress: [{ hostname: 'A-1.elb.amazonaws.com' }] },
        },
      },
      { type: 'CNAME', values: ['a-1.elb.amazonaws.com'], port: 80 },
    ],
    [
      'IPv6',
      {
        kind: 'Ingress',
        status: { loadBalancer: { ingress: [{ ip: '2001:db8::1' }] } },
      },
      { type: 'AAAA', values: ['2001:db8::1'], port: 80 },
    ],
    ['pending', { kind: 'Service', status: { loadBalancer: {} } }, undefined],
    [
      'garbage',
      { status: { loadBalancer: { ingress: [{ ip: 'nope' }] } } },
      undefined,
    ],
    ['nothing', null, undefined],
  ])('%s', (_, object, expected) => {
    expect(addressOf(object)).toEqual(expected);
  });
});
