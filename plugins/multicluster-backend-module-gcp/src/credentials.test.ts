/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { AuthClient } from 'google-auth-library';
import {
  createGoogleTokenResolver,
  TOKEN_RENEW_BEFORE_MS,
} from './credentials';

function fakeAuth(expiresIn: number | undefined, clock: () => number) {
  let n = 0;
  const client = {
    credentials: {} as { expiry_date?: number },
    getAccessToken: jest.fn(async () => {
      n++;
      client.credentials.expiry_date =
        expiresIn === undefined ? undefined : clock() + expiresIn;
      return { token: `ya29.t${n}` };
    }),
  };
  return {
    auth: { getClient: async () => client as unknown as AuthClient },
    client,
  };
}

describe('createGoogleTokenResolver', () => {
  it('reuses the token until shortly before it expires', async () => {
    let now = 1_000_000;
    const { auth, client } = fakeAuth(3600_000, () => now);
    const resolve = createGoogleTokenResolver(auth, () => now);
    expect(await resolve()).toEqual({
      type: 'bearer',
      token: 'ya29.t1',
      expiresAt: new Date(now + 3600_000),
    });
    now += 3600_000 - TOKEN_RENEW_BEFORE_MS - 1;
    expect(await resolve()).toMatchObject({ token: 'ya29.t1' });
    now += 1;
    expect(await resolve()).toMatchObject({ token: 'ya29.t2' });
    expect(client.getAccessToken).toHaveBeenCalledTimes(2);
  });

  it('asks again each time when the expiry is unknown (the library caches it)', async () => {
    const { auth, client } = fakeAuth(undefined, Date.now);
    const resolve = createGoogleTokenResolver(auth);
    await resolve();
    await resolve();
    expect(client.getAccessToken).toHaveBeenCalledTimes(2);
  });

  it('fails clearly without a token', async () => {
    const client = {
      credentials: {},
      getAccessToken: async () => ({ token: null }),
    };
    const resolve = createGoogleTokenResolver({
      getClient: async () => client as unknown as AuthClient,
    });
    await expect(resolve()).rejects.toThrow(
      'Google credentials returned no access token',
    );
  });
});
