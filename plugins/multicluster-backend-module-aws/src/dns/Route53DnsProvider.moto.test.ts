/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ChangeResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { mockServices } from '@backstage/backend-test-utils';
import {
  startMoto,
  startThrottlingProxy,
  type Moto,
} from '../__testUtils__/moto';
import { Route53DnsProvider } from './Route53DnsProvider';
import {
  clusterAnswer,
  countingClientFactory,
  createZone,
  directClient,
  dnsZone,
  geoName,
  healthCheckIds,
  route53Config,
  TEST_KEYS,
  zoneRecords,
} from './__testUtils__/route53';

jest.setTimeout(60_000);

const OWNER = 'portal-a';
const HOST = 'shop.example.com';

let moto: Moto;
let aws: Route53Client;

beforeAll(async () => {
  moto = await startMoto();
  aws = directClient(moto.endpoint);
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
});

/** Records of the zone that are not SOA/NS, as `type name setIdentifier -> values`. */
function summarize(records: ResourceRecordSet[]): string[] {
  return records
    .filter(r => r.Type !== 'SOA' && r.Type !== 'NS')
    .map(
      r =>
        `${r.Type} ${r.Name} ${r.SetIdentifier ?? '-'} -> ${(
          r.ResourceRecords ?? []
        )
          .map(v => v.Value)
          .join(',')}${r.HealthCheckId ? ' +check' : ''}`,
    )
    .sort();
}

// Records someone else made: one on our name (another geography), one elsewhere.
const foreign: ResourceRecordSet[] = [
  {
    Name: `${HOST}.`,
    Type: 'A',
    SetIdentifier: 'manual-oc',
    GeoLocation: { ContinentCode: 'OC' },
    TTL: 300,
    ResourceRecords: [{ Value: '192.0.2.77' }],
  },
  {
    Name: 'www.example.com.',
    Type: 'A',
    TTL: 300,
    ResourceRecords: [{ Value: '192.0.2.80' }],
  },
];

async function setUp() {
  const zoneId = await createZone(aws, 'example.com');
  await aws.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: foreign.map(r => ({ Action: 'CREATE', ResourceRecordSet: r })),
      },
    }),
  );
  const logger = mockServices.logger.mock();
  const counts = new Map<string, number>();
  const provider = Route53DnsProvider.fromConfig(
    route53Config(moto.endpoint, [
      { name: 'example.com', hostedZoneId: zoneId },
    ]),
    { logger, syncPollMs: 50, createClient: countingClientFactory(counts) },
  );
  return { zoneId, provider, logger, counts };
}

describe('Route53DnsProvider on moto', () => {
  it('publishes, follows health, puts back edits and removes, never touching foreign records', async () => {
    const { zoneId, provider, logger } = await setUp();
    const zone = dnsZone('example.com');
    const na = clusterAnswer(1, 'NA');
    const eu = clusterAnswer(2, 'EU');
    const as = clusterAnswer(3, 'AS');
    const foreignBefore = summarize(foreign);
    const foreignStill = async () =>
      expect(summarize(await zoneRecords(aws, zoneId))).toEqual(
        expect.arrayContaining(foreignBefore),
      );

    // First round: every answer, its check and its ownership twin.
    const first = await provider.apply(zone, [geoName(HOST, [na, eu, as])], {
      ownerId: OWNER,
    });
    expect(first.changes).toHaveLength(4);
    expect(summarize(await zoneRecords(aws, zoneId))).toEqual([
      'A shop.example.com. cluster-1 -> 198.51.0.2 +check',
      'A shop.example.com. cluster-2 -> 198.51.0.3 +check',
      'A shop.example.com. cluster-3 -> 198.51.0.4 +check',
      'A shop.example.com. default -> 198.51.0.2 +check',
      'A shop.example.com. manual-oc -> 192.0.2.77',
      'A www.example.com. - -> 192.0.2.80',
      ...['cluster-1', 'cluster-2', 'cluster-3', 'default'].map(
        id =>
          `TXT _archipelago-a.shop.example.com. ${id} -> "heritage=archipelago,archipelago/owner=portal-a,archipelago/resource=workload/shop,archipelago/cluster=cluster-${
            id === 'default' ? 1 : id.slice(-1)
          }"`,
      ),
    ]);
    const records = await zoneRecords(aws, zoneId);
    const eu1 = records.find(
      r => r.SetIdentifier === 'cluster-2' && r.Type === 'A',
    )!;
    expect(eu1.GeoLocation).toEqual({ ContinentCode: 'EU' });
    expect(
      records.find(r => r.SetIdentifier === 'default' && r.Type === 'A')!
        .GeoLocation,
    ).toEqual({ CountryCode: '*' });
    const checks = await healthCheckIds(aws);
    expect(checks).toHaveLength(4);
    expect(
      records
        .filter(r => r.HealthCheckId)
        .map(r => r.HealthCheckId)
        .sort(),
    ).toEqual(checks);

    // Nothing changed: nothing to do, no new check.
    const again = await provider.apply(zone, [geoName(HOST, [na, eu, as])], {
      ownerId: OWNER,
    });
    expect(again.changes).toEqual([]);
    expect(await healthCheckIds(aws)).toEqual(checks);

    // Europe's cluster turns unhealthy: the planner drops it, its record,
    // twin and check go.
    const left = await provider.apply(zone, [geoName(HOST, [na, as])], {
      ownerId: OWNER,
    });
    expect(left.changes).toEqual([
      { action: 'delete', hostname: HOST, setIdentifier: 'cluster-2' },
    ]);
    let now = summarize(await zoneRecords(aws, zoneId));
    expect(now.filter(r => r.includes('cluster-2'))).toEqual([]);
    expect(await healthCheckIds(aws)).toHaveLength(3);
    await foreignStill();

    // It comes back.
    const back = await provider.apply(zone, [geoName(HOST, [na, eu, as])], {
      ownerId: OWNER,
    });
    expect(back.changes).toEqual([
      { action: 'create', hostname: HOST, setIdentifier: 'cluster-2' },
    ]);
    now = summarize(await zoneRecords(aws, zoneId));
    expect(now).toContain('A shop.example.com. cluster-2 -> 198.51.0.3 +check');
    expect(await healthCheckIds(aws)).toHaveLength(4);

    // Someone edits our record in the console: the next round puts it back.
    const edited = (await zoneRecords(aws, zoneId)).find(
      r => r.SetIdentifier === 'cluster-3' && r.Type === 'A',
    )!;
    await aws.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                ...edited,
                ResourceRecords: [{ Value: '203.0.113.9' }],
              },
            },
          ],
        },
      }),
    );
    const repaired = await provider.apply(zone, [geoName(HOST, [na, eu, as])], {
      ownerId: OWNER,
    });
    expect(repaired.changes).toEqual([
      { action: 'update', hostname: HOST, setIdentifier: 'cluster-3' },
    ]);
    expect(summarize(await zoneRecords(aws, zoneId))).toContain(
      'A shop.example.com. cluster-3 -> 198.51.0.4 +check',
    );

    // What the zone holds, read back.
    const [observed] = await provider.observe(zone, [HOST], { ownerId: OWNER });
    expect(observed.owned).toBe(false); // manual-oc shares the name
    expect(
      observed.answers
        .map(a => `${a.setIdentifier}:${a.cluster}:${a.geography}`)
        .sort(),
    ).toEqual([
      'cluster-1:cluster-1:NA',
      'cluster-2:cluster-2:EU',
      'cluster-3:cluster-3:AS',
      'default:cluster-1:*',
      'manual-oc:manual-oc:OC',
    ]);

    // Another installation's owner id sees nothing of ours to delete.
    const otherOwner = await provider.apply(zone, [], { ownerId: 'portal-b' });
    expect(otherOwner.changes).toEqual([]);
    expect(await healthCheckIds(aws)).toHaveLength(4);

    // The workload goes: every record and check of ours goes, nothing else.
    const gone = await provider.apply(zone, [], { ownerId: OWNER });
    expect(gone.changes).toHaveLength(4);
    expect(summarize(await zoneRecords(aws, zoneId))).toEqual(foreignBefore);
    expect(await healthCheckIds(aws)).toEqual([]);

    // Credentials never reach a log line.
    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
      logger.error.mock.calls,
    ]);
    expect(logged).not.toContain(TEST_KEYS.secretAccessKey);
    expect(logged).not.toContain(TEST_KEYS.accessKeyId);
  });

  it('leaves a name alone when a record it does not own collides, and says why', async () => {
    const { zoneId, provider } = await setUp();
    const result = await provider.apply(
      dnsZone('example.com'),
      [
        geoName(HOST, [clusterAnswer(1, 'OC')]),
        geoName('api.example.com', [clusterAnswer(2, 'EU')], 'api'),
      ],
      { ownerId: OWNER },
    );
    expect(result.conflicts).toEqual([
      {
        hostname: HOST,
        reason:
          'a A record shop.example.com (manual-oc) that we do not own answers the same geo',
      },
    ]);
    const now = summarize(await zoneRecords(aws, zoneId));
    expect(now.filter(r => r.includes(HOST))).toEqual([
      'A shop.example.com. manual-oc -> 192.0.2.77',
    ]);
    expect(now.filter(r => r.includes('api.example.com'))).toHaveLength(4);
    // Only the checks of the name that was written.
    expect(await healthCheckIds(aws)).toHaveLength(2);
  });

  it('names the key of a zone that does not exist or is another one', async () => {
    const zoneId = await createZone(aws, 'example.org');
    const logger = mockServices.logger.mock();
    const missing = Route53DnsProvider.fromConfig(
      route53Config(moto.endpoint, [
        { name: 'example.com', hostedZoneId: 'Z0000000000000NOPE' },
      ]),
      { logger },
    );
    await expect(
      missing.apply(dnsZone('example.com'), [], { ownerId: OWNER }),
    ).rejects.toThrow(
      "multicluster.dns.zones[0].hostedZoneId: hosted zone Z0000000000000NOPE not found in account 'prod'",
    );
    const other = Route53DnsProvider.fromConfig(
      route53Config(moto.endpoint, [
        { name: 'example.com', hostedZoneId: zoneId },
      ]),
      { logger },
    );
    await expect(
      other.apply(dnsZone('example.com'), [], { ownerId: OWNER }),
    ).rejects.toThrow(
      `multicluster.dns.zones[0].name: hosted zone ${zoneId} is example.org, not example.com`,
    );
  });

  it('retries Throttling and PriorRequestNotComplete with backoff', async () => {
    const zoneId = await createZone(aws, 'example.com');
    const error = (code: string) =>
      `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
    const proxy = await startThrottlingProxy(moto.endpoint, {
      // Both reads of records and the change itself.
      match: req => /\/rrset\/?$/.test(req.url ?? ''),
      count: 3,
      reply: n => ({
        status: 400,
        headers: { 'content-type': 'text/xml' },
        body: error(n === 3 ? 'PriorRequestNotComplete' : 'Throttling'),
      }),
    });
    try {
      const counts = new Map<string, number>();
      const provider = Route53DnsProvider.fromConfig(
        route53Config(proxy.endpoint, [
          { name: 'example.com', hostedZoneId: zoneId },
        ]),
        {
          logger: mockServices.logger.mock(),
          syncPollMs: 50,
          createClient: countingClientFactory(counts),
        },
      );
      const result = await provider.apply(
        dnsZone('example.com'),
        [geoName(HOST, [clusterAnswer(1, 'EU')])],
        { ownerId: OWNER },
      );
      expect(result.changes).toHaveLength(2);
      expect(proxy.throttled()).toBe(3);
      expect(
        counts.get('ListResourceRecordSets')! +
          counts.get('ChangeResourceRecordSets')!,
      ).toBe(5);
      expect(summarize(await zoneRecords(aws, zoneId))).toHaveLength(4);
    } finally {
      await proxy.close();
    }
  });
});
