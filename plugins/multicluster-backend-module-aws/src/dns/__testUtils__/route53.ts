/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CreateHostedZoneCommand,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  DnsAnswer,
  DnsRecordSet,
  DnsZone,
} from '@archipelago/multicluster-node';
import type { AwsAccountConfig } from '../../config';
import { createRoute53Client } from '../calls';

/** Static test keys: moto accepts any; tests check they never leak. */
export const TEST_KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** A client straight to moto, for setting up and reading the zone as a person would. */
export function directClient(endpoint: string): Route53Client {
  return new Route53Client({
    region: 'us-east-1',
    endpoint,
    // A copy: the SDK marks the object it is given (`$source`).
    credentials: { ...TEST_KEYS },
  });
}

/** Creates a hosted zone; returns its id without `/hostedzone/`. */
export async function createZone(
  client: Route53Client,
  name: string,
): Promise<string> {
  const out = await client.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `${name}-${Date.now()}-${Math.random()}`,
    }),
  );
  return out.HostedZone!.Id!.replace('/hostedzone/', '');
}

/** Every record set of a zone (one page is enough for tests). */
export async function zoneRecords(
  client: Route53Client,
  hostedZoneId: string,
): Promise<ResourceRecordSet[]> {
  const out = await client.send(
    new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId }),
  );
  return out.ResourceRecordSets ?? [];
}

/** Ids of every health check. */
export async function healthCheckIds(client: Route53Client): Promise<string[]> {
  const out = await client.send(new ListHealthChecksCommand({}));
  return (out.HealthChecks ?? []).map(h => h.Id!).sort();
}

/** The config of one account and its zones, on moto. */
export function route53Config(
  endpoint: string,
  zones: Array<{ name: string; hostedZoneId: string; account?: string }>,
) {
  return mockServices.rootConfig({
    data: {
      multicluster: {
        providers: {
          aws: {
            prod: {
              regions: ['us-east-1'],
              ...TEST_KEYS,
              maxAttempts: 4,
              endpoints: { route53: endpoint },
            },
          },
        },
        dns: {
          zones: zones.map(z => ({
            name: z.name,
            provider: 'route53',
            account: z.account ?? 'prod',
            hostedZoneId: z.hostedZoneId,
          })),
        },
      },
    },
  });
}

/** A zone as the DNS core hands it over. */
export const dnsZone = (name: string): DnsZone => ({
  name,
  provider: 'route53',
  config: new ConfigReader({ name, provider: 'route53' }),
});

/** The answer of cluster `i`: a geography and an address with an HTTP check. */
export function clusterAnswer(
  i: number,
  geography: string,
  overrides: Partial<DnsAnswer> = {},
): DnsAnswer {
  const address = `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  return {
    setIdentifier: `cluster-${i}`,
    cluster: `cluster-${i}`,
    type: 'A',
    values: [address],
    geography,
    health: 'healthy',
    healthCheck: { address, port: 80, path: '/', protocol: 'HTTP' },
    ...overrides,
  };
}

/** A geolocation name over `answers`, with the default answer on the first. */
export function geoName(
  hostname: string,
  answers: DnsAnswer[],
  workload = 'shop',
): DnsRecordSet {
  return {
    hostname,
    policy: 'geolocation',
    ttl: 60,
    workload,
    answers: answers.length
      ? [
          ...answers,
          {
            ...answers[0],
            setIdentifier: 'default',
            geography: '*',
          },
        ]
      : [],
  };
}

/** The Route53 client of an account with every HTTP request counted by operation. */
export function countingClientFactory(counts: Map<string, number>) {
  return (account: AwsAccountConfig) => {
    const client = createRoute53Client(account);
    client.middlewareStack.add(
      (next, context) => async args => {
        const op = String(context.commandName ?? 'unknown').replace(
          /Command$/,
          '',
        );
        counts.set(op, (counts.get(op) ?? 0) + 1);
        return next(args);
      },
      // After the retry middleware: every attempt is one request.
      { step: 'finalizeRequest', priority: 'low', name: 'countCalls' },
    );
    return client;
  };
}
