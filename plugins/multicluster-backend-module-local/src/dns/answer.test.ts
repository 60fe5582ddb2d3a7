/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { DnsAnswer, DnsRecordSet } from '@archipelago/multicluster-node';
import { chooseAnswer, clientGeography, geographyMap } from './answer';

const a = (id: string, extra: Partial<DnsAnswer>): DnsAnswer => ({
  setIdentifier: id,
  cluster: id,
  type: 'A',
  values: ['127.1.1.1'],
  health: 'healthy',
  ...extra,
});
const set = (policy: DnsRecordSet['policy'], answers: DnsAnswer[]) => ({
  hostname: 'shop.example.test',
  policy,
  ttl: 5,
  workload: 'shop',
  answers,
});

describe('clientGeography', () => {
  const map = geographyMap({
    '10.0.0.0/8': 'na',
    '10.1.0.0/16': 'EU',
    '10.2.0.0/16': 'AS',
    '2001:db8::/32': 'OC',
  });
  it.each([
    ['10.1.2.3', 'EU'],
    ['10.2.0.1', 'AS'],
    ['10.9.9.9', 'NA'],
    ['::ffff:10.1.0.9', 'EU'],
    ['2001:db8::5', 'OC'],
    ['192.0.2.1', undefined],
    ['nonsense', undefined],
    [undefined, undefined],
  ])('%s → %s', (ip, geo) => expect(clientGeography(map, ip)).toBe(geo));
});

describe('chooseAnswer', () => {
  const geo = set('geolocation', [
    a('EU', { geography: 'EU', cluster: 'azure' }),
    a('AS', { geography: 'AS', cluster: 'gcp' }),
    a('default', { geography: '*', cluster: 'aws' }),
  ]);
  const failover = set('failover', [
    a('b', { failoverRole: 'secondary' }),
    a('a', { failoverRole: 'primary' }),
  ]);
  const weighted = set('weighted', [
    a('x', { weight: 1 }),
    a('y', { weight: 3 }),
  ]);
  it.each<
    [string, DnsRecordSet, string | undefined, number, string | undefined]
  >([
    ['Europe', geo, 'EU', 0, 'azure'],
    ['Asia', geo, 'AS', 0, 'gcp'],
    ['another geography', geo, 'SA', 0, 'aws'],
    ['no geography', geo, undefined, 0, 'aws'],
    [
      'no default',
      set('geolocation', [a('EU', { geography: 'EU' })]),
      'NA',
      0,
      undefined,
    ],
    ['failover primary', failover, undefined, 0, 'a'],
    [
      'failover secondary',
      set('failover', [a('b', { failoverRole: 'secondary' })]),
      undefined,
      0,
      'b',
    ],
    ['weighted low', weighted, undefined, 0.2, 'x'],
    ['weighted high', weighted, undefined, 0.3, 'y'],
    ['nothing', set('weighted', []), undefined, 0.5, undefined],
  ])('%s', (_, s, g, r, cluster) => {
    expect(chooseAnswer(s, g, r)?.cluster).toBe(cluster);
  });
});
