/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';
import { ConfigReader } from '@backstage/config';
import { readAzureConfig } from './config';
import {
  createAzureCredential,
  createEntraIdResolver,
  TOKEN_RENEW_BEFORE_MS,
} from './credentials';

const SUB = '00000000-0000-0000-0000-000000000001';
const entry = (extra: Record<string, unknown>) =>
  readAzureConfig(
    new ConfigReader({
      multicluster: {
        providers: { azure: { x: { subscriptions: [SUB], ...extra } } },
      },
    }),
  )[0];

describe('createAzureCredential', () => {
  it('uses a service principal secret when one is configured', () => {
    expect(
      createAzureCredential(
        entry({
          tenantId: 'contoso.onmicrosoft.com',
          clientId: '11111111-1111-1111-1111-111111111111',
          clientSecret: 's',
        }),
      ),
    ).toBeInstanceOf(ClientSecretCredential);
  });

  it('falls back to DefaultAzureCredential', () => {
    expect(createAzureCredential(entry({}))).toBeInstanceOf(
      DefaultAzureCredential,
    );
    expect(
      createAzureCredential(
        entry({ clientId: '11111111-1111-1111-1111-111111111111' }),
      ),
    ).toBeInstanceOf(DefaultAzureCredential);
  });
});

describe('createEntraIdResolver', () => {
  it('caches the token until shortly before it expires', async () => {
    let now = 1_000_000;
    let n = 0;
    const getToken = jest.fn(async () => ({
      token: `t${++n}`,
      expiresOnTimestamp: now + 3600_000,
    }));
    const resolve = createEntraIdResolver(
      { getToken } as TokenCredential,
      'scope/.default',
      () => now,
    );

    expect(await resolve()).toEqual({
      type: 'bearer',
      token: 't1',
      expiresAt: new Date(now + 3600_000),
    });
    now += 3600_000 - TOKEN_RENEW_BEFORE_MS - 1;
    expect(await resolve()).toMatchObject({ token: 't1' });
    now += 1;
    expect(await resolve()).toMatchObject({ token: 't2' });
    expect(getToken).toHaveBeenCalledWith('scope/.default');
  });

  it('shares one request between concurrent callers and does not cache failures', async () => {
    const getToken = jest
      .fn()
      .mockRejectedValueOnce(new Error('AADSTS700016: application not found'))
      .mockResolvedValue({
        token: 't',
        expiresOnTimestamp: Date.now() + 3600_000,
      });
    const resolve = createEntraIdResolver({ getToken } as TokenCredential, 's');
    await expect(resolve()).rejects.toThrow('AADSTS700016');
    await Promise.all([resolve(), resolve(), resolve()]);
    expect(getToken).toHaveBeenCalledTimes(2);
  });

  it('fails clearly when no token is issued', async () => {
    const resolve = createEntraIdResolver(
      { getToken: async () => null } as TokenCredential,
      's',
    );
    await expect(resolve()).rejects.toThrow(
      'no Entra ID token was issued for s',
    );
  });
});
