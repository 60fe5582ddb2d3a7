/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  HealthCheckAlreadyExists,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { route53Calls } from './calls';
import {
  callerReference,
  callerReferencePrefix,
  ensureHealthChecks,
  healthCheckConfig,
} from './healthChecks';

// Route53 never reuses the CallerReference of a deleted check, which moto does
// not play: that one error comes from aws-sdk-client-mock.
describe('ensureHealthChecks', () => {
  const target = {
    address: '198.51.100.7',
    port: 80,
    path: '/',
    protocol: 'HTTP' as const,
  };

  it('recreates a check whose reference Route53 remembers from a deleted one, under a suffix', async () => {
    const client = new Route53Client({ region: 'us-east-1' });
    const mock = mockClient(client);
    const prefix = callerReferencePrefix('portal-a', 'Z123');
    const ref = callerReference(prefix, 'shop.example.com', 'eu', target);
    mock
      .on(CreateHealthCheckCommand)
      .rejectsOnce(
        new HealthCheckAlreadyExists({ message: 'exists', $metadata: {} }),
      )
      .resolves({
        HealthCheck: {
          Id: 'hc-2',
          CallerReference: 'x',
          HealthCheckConfig: healthCheckConfig(target),
          HealthCheckVersion: 1,
        },
      })
      .on(ChangeTagsForResourceCommand)
      .resolves({});
    const ids = await ensureHealthChecks(route53Calls(client, {}), {
      prefix,
      ownerId: 'portal-a',
      existing: new Map(),
      wanted: [
        {
          answer: 'shop.example.com|eu',
          hostname: 'shop.example.com',
          setIdentifier: 'eu',
          target,
        },
      ],
      concurrency: 2,
    });
    expect(ids.get('shop.example.com|eu')).toBe('hc-2');
    const refs = mock
      .commandCalls(CreateHealthCheckCommand)
      .map(c => c.args[0].input.CallerReference!);
    expect(refs[0]).toBe(ref);
    expect(refs[1]).toMatch(new RegExp(`^${ref}\\.[0-9a-f]{8}$`));
    expect(refs[1].length).toBeLessThanOrEqual(64);
    expect(
      mock.commandCalls(ChangeTagsForResourceCommand)[0].args[0].input.AddTags,
    ).toContainEqual({ Key: 'archipelago.dev/owner', Value: 'portal-a' });
  });

  it('derives one reference per owner, zone and check settings', () => {
    const a = callerReferencePrefix('portal-a', 'Z1');
    expect(a).not.toBe(callerReferencePrefix('portal-b', 'Z1'));
    expect(a).not.toBe(callerReferencePrefix('portal-a', 'Z2'));
    expect(callerReference(a, 'h', 'eu', target)).toBe(
      callerReference(a, 'h', 'eu', target),
    );
    expect(callerReference(a, 'h', 'eu', target)).not.toBe(
      callerReference(a, 'h', 'eu', { ...target, port: 8080 }),
    );
    expect(healthCheckConfig({ ...target, address: 'lb.example.net' })).toEqual(
      expect.objectContaining({ FullyQualifiedDomainName: 'lb.example.net' }),
    );
  });
});
