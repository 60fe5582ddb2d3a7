/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { memoizeCredentials } from './credentials';

describe('memoizeCredentials', () => {
  it('caches credentials until five minutes before they expire', async () => {
    let now = 0;
    let n = 0;
    const provider = jest.fn(async () => ({
      accessKeyId: `AKID${++n}`,
      secretAccessKey: 's',
      expiration: new Date(now + 60 * 60_000),
    }));
    const get = memoizeCredentials(provider, () => now);
    expect((await get()).accessKeyId).toBe('AKID1');
    now = 54 * 60_000;
    expect((await get()).accessKeyId).toBe('AKID1');
    now = 55 * 60_000;
    expect((await get()).accessKeyId).toBe('AKID2');
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('keeps credentials without expiry and shares one refresh', async () => {
    const provider = jest.fn(async () => ({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
    }));
    const get = memoizeCredentials(provider);
    await Promise.all([get(), get(), get()]);
    await get();
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('does not cache failures', async () => {
    const provider = jest
      .fn()
      .mockRejectedValueOnce(new Error('no credentials'))
      .mockResolvedValue({ accessKeyId: 'AKID', secretAccessKey: 's' });
    const get = memoizeCredentials(provider);
    await expect(get()).rejects.toThrow('no credentials');
    await expect(get()).resolves.toMatchObject({ accessKeyId: 'AKID' });
  });
});
