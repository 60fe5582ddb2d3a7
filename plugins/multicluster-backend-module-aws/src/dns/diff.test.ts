/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { DnsRecordSet } from '@archipelago/multicluster-node';
import { planZoneChanges, toChangeBatches } from './diff';
import { desiredRecords, parseOwnership } from './records';

const ZONE = 'example.com';
const OWNER = 'portal-a';

const shop: DnsRecordSet = {
  hostname: 'shop.example.com',
  policy: 'geolocation',
  ttl: 60,
  workload: 'shop',
  answers: [
    {
      setIdentifier: 'aws-east',
      cluster: 'aws-east',
      type: 'A',
      values: ['10.0.0.1'],
      geography: 'NA',
      health: 'healthy',
    },
    {
      setIdentifier: 'azure-eu',
      cluster: 'azure-eu',
      type: 'A',
      values: ['10.0.0.2'],
      geography: 'EU',
      health: 'healthy',
    },
    {
      setIdentifier: 'default',
      cluster: 'aws-east',
      type: 'A',
      values: ['10.0.0.1'],
      geography: '*',
      health: 'healthy',
    },
  ],
};

/** The zone as it is after `sets` were written by `owner`. */
function written(sets: DnsRecordSet[], owner = OWNER): ResourceRecordSet[] {
  return sets.flatMap(s =>
    desiredRecords(s, owner, () => undefined).flatMap(r => [
      r.record,
      r.ownership,
    ]),
  );
}

const foreignSimple: ResourceRecordSet = {
  Name: 'shop.example.com.',
  Type: 'A',
  TTL: 300,
  ResourceRecords: [{ Value: '192.0.2.9' }],
};
const foreignGeo = (geo: string, id = 'manual'): ResourceRecordSet => ({
  Name: 'shop.example.com.',
  Type: 'A',
  SetIdentifier: id,
  TTL: 300,
  GeoLocation: { ContinentCode: geo },
  ResourceRecords: [{ Value: '192.0.2.9' }],
});
const other: ResourceRecordSet = {
  Name: 'www.example.com.',
  Type: 'CNAME',
  TTL: 300,
  ResourceRecords: [{ Value: 'elsewhere.example.net' }],
};

const actions = (plan: ReturnType<typeof planZoneChanges>) =>
  plan.groups.flatMap(g =>
    g.changes.map(
      c =>
        `${c.Action} ${c.ResourceRecordSet!.Type} ${
          c.ResourceRecordSet!.Name
        } ${c.ResourceRecordSet!.SetIdentifier ?? ''}`,
    ),
  );

describe('planZoneChanges', () => {
  it.each<{
    name: string;
    desired: DnsRecordSet[];
    current: ResourceRecordSet[];
    expected: string[];
    conflicts?: string[];
  }>([
    {
      name: 'an empty zone gets every record and its ownership twin',
      desired: [shop],
      current: [other],
      expected: [
        'UPSERT A shop.example.com. aws-east',
        'UPSERT TXT _archipelago-a.shop.example.com. aws-east',
        'UPSERT A shop.example.com. azure-eu',
        'UPSERT TXT _archipelago-a.shop.example.com. azure-eu',
        'UPSERT A shop.example.com. default',
        'UPSERT TXT _archipelago-a.shop.example.com. default',
      ],
    },
    {
      name: 'a zone that holds the plan needs nothing',
      desired: [shop],
      current: [...written([shop]), other],
      expected: [],
    },
    {
      name: 'an answer that left is deleted with its twin',
      desired: [
        {
          ...shop,
          answers: shop.answers.filter(a => a.cluster !== 'azure-eu'),
        },
      ],
      current: written([shop]),
      expected: [
        'DELETE A shop.example.com. azure-eu',
        'DELETE TXT _archipelago-a.shop.example.com. azure-eu',
      ],
    },
    {
      name: 'a record edited outside is put back',
      desired: [shop],
      current: written([shop]).map(r =>
        r.SetIdentifier === 'azure-eu' && r.Type === 'A'
          ? { ...r, ResourceRecords: [{ Value: '203.0.113.7' }] }
          : r,
      ),
      expected: ['UPSERT A shop.example.com. azure-eu'],
    },
    {
      name: 'a record deleted outside is put back',
      desired: [shop],
      current: written([shop]).filter(
        r => !(r.SetIdentifier === 'default' && r.Type === 'A'),
      ),
      expected: ['UPSERT A shop.example.com. default'],
    },
    {
      name: 'a name whose workload went is removed whole',
      desired: [],
      current: [...written([shop]), other],
      expected: [
        'DELETE A shop.example.com. aws-east',
        'DELETE TXT _archipelago-a.shop.example.com. aws-east',
        'DELETE A shop.example.com. azure-eu',
        'DELETE TXT _archipelago-a.shop.example.com. azure-eu',
        'DELETE A shop.example.com. default',
        'DELETE TXT _archipelago-a.shop.example.com. default',
      ],
    },
    {
      name: "another owner's records are never deleted",
      desired: [],
      current: [...written([shop], 'portal-b'), other],
      expected: [],
    },
    {
      name: 'a foreign routed record on the same name is left alone and coexists',
      desired: [
        { ...shop, answers: shop.answers.filter(a => a.geography !== 'EU') },
      ],
      current: [foreignGeo('EU')],
      expected: [
        'UPSERT A shop.example.com. aws-east',
        'UPSERT TXT _archipelago-a.shop.example.com. aws-east',
        'UPSERT A shop.example.com. default',
        'UPSERT TXT _archipelago-a.shop.example.com. default',
      ],
    },
    {
      name: 'a foreign record on the same geography makes the name a conflict',
      desired: [shop],
      current: [foreignGeo('EU')],
      expected: [],
      conflicts: ['shop.example.com'],
    },
    {
      name: 'a foreign simple record makes the name a conflict',
      desired: [shop],
      current: [foreignSimple],
      expected: [],
      conflicts: ['shop.example.com'],
    },
    {
      name: 'a foreign record with our set identifier makes the name a conflict',
      desired: [shop],
      current: [foreignGeo('OC', 'default')],
      expected: [],
      conflicts: ['shop.example.com'],
    },
    {
      name: 'a name outside the zone is a conflict',
      desired: [{ ...shop, hostname: 'shop.example.org' }],
      current: [],
      expected: [],
      conflicts: ['shop.example.org'],
    },
    {
      name: 'a policy change deletes the old records before creating the new',
      desired: [
        {
          ...shop,
          policy: 'weighted',
          answers: shop.answers
            .filter(a => a.setIdentifier !== 'default')
            .map(a => ({ ...a, geography: undefined, weight: 1 })),
        },
      ],
      current: written([shop]),
      expected: [
        'DELETE A shop.example.com. aws-east',
        'DELETE TXT _archipelago-a.shop.example.com. aws-east',
        'DELETE A shop.example.com. azure-eu',
        'DELETE TXT _archipelago-a.shop.example.com. azure-eu',
        'DELETE A shop.example.com. default',
        'DELETE TXT _archipelago-a.shop.example.com. default',
        'UPSERT A shop.example.com. aws-east',
        'UPSERT TXT _archipelago-a.shop.example.com. aws-east',
        'UPSERT A shop.example.com. azure-eu',
        'UPSERT TXT _archipelago-a.shop.example.com. azure-eu',
      ],
    },
    {
      name: 'a CNAME answer next to a foreign A record is a conflict',
      desired: [
        {
          ...shop,
          answers: [
            { ...shop.answers[0], type: 'CNAME', values: ['lb.example.net'] },
          ],
        },
      ],
      current: [foreignGeo('AF')],
      expected: [],
      conflicts: ['shop.example.com'],
    },
  ])('$name', ({ desired, current, expected, conflicts }) => {
    const plan = planZoneChanges({
      zoneName: ZONE,
      ownerId: OWNER,
      desired,
      current,
    });
    expect(actions(plan)).toEqual(expected);
    expect(plan.conflicts.map(c => c.hostname)).toEqual(conflicts ?? []);
  });

  it('names the record it will not touch', () => {
    const plan = planZoneChanges({
      zoneName: ZONE,
      ownerId: OWNER,
      desired: [shop],
      current: [foreignSimple],
    });
    expect(plan.conflicts[0].reason).toBe(
      'a A record shop.example.com that we do not own uses another routing policy',
    );
  });

  it('sets health check ids and reports which ones stay referenced', () => {
    const current = written([shop]);
    const plan = planZoneChanges({
      zoneName: ZONE,
      ownerId: OWNER,
      desired: [shop],
      current,
      healthCheckId: (_h, a) =>
        a.setIdentifier === 'default' ? undefined : `hc-${a.cluster}`,
    });
    expect(actions(plan)).toEqual([
      'UPSERT A shop.example.com. aws-east',
      'UPSERT A shop.example.com. azure-eu',
    ]);
    expect([...plan.referencedHealthChecks].sort()).toEqual([
      'hc-aws-east',
      'hc-azure-eu',
    ]);
    expect(plan.summary).toEqual([
      {
        action: 'update',
        hostname: 'shop.example.com',
        setIdentifier: 'aws-east',
      },
      {
        action: 'update',
        hostname: 'shop.example.com',
        setIdentifier: 'azure-eu',
      },
    ]);
  });

  it('writes ownership the ExternalDNS way', () => {
    const [first] = desiredRecords(shop, OWNER, () => undefined);
    expect(first.ownership.ResourceRecords![0].Value).toBe(
      '"heritage=archipelago,archipelago/owner=portal-a,archipelago/resource=workload/shop,archipelago/cluster=aws-east"',
    );
    expect(parseOwnership(first.ownership.ResourceRecords![0].Value!)).toEqual({
      owner: OWNER,
      resource: 'workload/shop',
      cluster: 'aws-east',
    });
    expect(parseOwnership('"heritage=external-dns,external-dns/owner=x"')).toBe(
      undefined,
    );
    expect(first.record.GeoLocation).toEqual({ ContinentCode: 'NA' });
  });
});

describe('toChangeBatches', () => {
  const many = (n: number): DnsRecordSet[] =>
    Array.from({ length: n }, (_, i) => ({
      ...shop,
      hostname: `s${i}.example.com`,
    }));

  it.each([
    { names: 1, limits: undefined, batches: [6] },
    // UPSERTs count twice; the ownership TXT values make 32,000 characters
    // the first limit hit: 44 names of 3 answers a batch.
    { names: 100, limits: undefined, batches: [264, 264, 72] },
    // 200 names x 6 UPSERTs: 1,000 records a batch, a name never split across two.
    {
      names: 200,
      limits: { records: 1000, characters: 1e6 },
      batches: [498, 498, 204],
    },
    { names: 3, limits: { records: 24, characters: 32000 }, batches: [12, 6] },
    { names: 2, limits: { records: 1000, characters: 800 }, batches: [6, 6] },
    // A name larger than a batch is split on its own.
    { names: 1, limits: { records: 4, characters: 32000 }, batches: [2, 2, 2] },
  ])('$names names with $limits → $batches', ({ names, limits, batches }) => {
    const plan = planZoneChanges({
      zoneName: ZONE,
      ownerId: OWNER,
      desired: many(names),
      current: [],
    });
    expect(toChangeBatches(plan.groups, limits).map(b => b.length)).toEqual(
      batches,
    );
  });
});
