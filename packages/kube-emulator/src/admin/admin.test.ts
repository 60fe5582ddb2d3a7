/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fleet, startFleet } from '../fleet';
import { call, callAdmin } from '../__testUtils__/http';

jest.setTimeout(30_000);

describe('the admin endpoint is locked', () => {
  let fleet: Fleet;
  let admin: string;
  let token: string;

  beforeAll(async () => {
    fleet = await startFleet({ clusters: 2, nodes: 1 });
    admin = fleet.adminUrl!;
    token = fleet.adminToken!;
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('requires the admin token and hands out no cluster token without it', async () => {
    expect(token).toMatch(/^[\x21-\x7e]{16,}$/);
    for (const path of ['/clusters', '/clusters/emulator-1', '/kubeconfig']) {
      const res = await callAdmin(`${admin}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toEqual({
        error: {
          name: 'AuthenticationError',
          message:
            'the admin endpoint requires Authorization: Bearer <admin token>',
        },
        response: { statusCode: 401 },
      });
      for (const c of fleet.clusters)
        for (const t of Object.values(c.tokens))
          expect(res.text).not.toContain(t);
    }
    const wrong = await callAdmin(`${admin}/clusters`, {
      token: `${token}x`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json().error.message).toBe('the admin token is not valid');

    const ok = await callAdmin(`${admin}/clusters/emulator-1`, { token });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({
      name: 'emulator-1',
      running: true,
      mode: 'full',
      tokens: fleet.cluster(1).tokens,
    });
  });

  it('refuses cross-site requests, so a web page cannot stop a cluster', async () => {
    const stop = `${admin}/clusters/emulator-1/stop`;
    const refused = [
      // An HTML form or a no-cors fetch: a "simple" request with no JSON body.
      [{ 'Content-Type': 'text/plain' }, 415],
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 415],
      [{ Origin: 'http://evil.example' }, 403],
      [{ Origin: 'null' }, 403],
      [{ 'Sec-Fetch-Site': 'cross-site' }, 403],
      [{ 'Sec-Fetch-Site': 'same-site' }, 403],
      // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1.
      [{ Host: `evil.example:${fleet.adminPort}` }, 403],
    ] as const;
    for (const [headers, status] of refused) {
      const res = await callAdmin(stop, {
        method: 'POST',
        token,
        headers: headers as Record<string, string>,
      });
      expect([headers, res.status]).toEqual([headers, status]);
      expect(fleet.cluster(1).running).toBe(true);
    }
    // Without a Content-Type at all (a bodiless fetch POST).
    const bare = await callAdmin(stop, {
      method: 'POST',
      token,
      headers: { 'Content-Type': '' },
    });
    expect(bare.status).toBe(415);
    expect(bare.json().error.message).toBe(
      'POST requests to the admin endpoint must have Content-Type: application/json',
    );
    expect((await call(fleet.cluster(1), '/readyz')).text).toBe('ok');

    // The endpoint's own origin, or a URL typed by hand, is fine.
    const own = await callAdmin(`${admin}/clusters/emulator-1/faults`, {
      method: 'PATCH',
      token,
      body: { latencyMs: 1 },
      headers: {
        Origin: admin,
        'Sec-Fetch-Site': 'same-origin',
      },
    });
    expect(own.status).toBe(200);
    const typed = await callAdmin(`${admin}/clusters`, {
      token,
      headers: { 'Sec-Fetch-Site': 'none' },
    });
    expect(typed.status).toBe(200);
    await callAdmin(`${admin}/faults`, { method: 'DELETE', token });
  });

  it('answers bad input with 4xx naming the problem', async () => {
    const bad = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${admin}/faults`,
        {
          method: 'PATCH',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
        },
        res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{"latencyMs": ');
    });
    expect(bad).toBe(400);
    const wrongType = await callAdmin(`${admin}/clusters/emulator-1/faults`, {
      method: 'PUT',
      token,
      body: { errorRate: 'lots' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json().error.message).toContain('errorRate');
    const method = await callAdmin(`${admin}/clusters`, {
      method: 'DELETE',
      token,
    });
    expect(method.status).toBe(405);
  });

  it('rejects a weak configured admin token, naming the option', async () => {
    await expect(
      startFleet({ clusters: 1, adminToken: 'short' }),
    ).rejects.toThrow(/adminToken: must be 16 to 4096 printable ASCII/);
  });
});

describe('the admin token and data on disk', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-emulator-admin-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a generated token in <persistenceDir>/admin-token (0600) and reuses it; folders are 0700', async () => {
    const data = join(dir, 'data');
    const first = await startFleet({
      clusters: 1,
      nodes: 1,
      persistenceDir: data,
    });
    const token = first.adminToken!;
    await first.stop();
    const file = join(data, 'admin-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'emulator-1.json')).mode & 0o777).toBe(0o600);

    const second = await startFleet({
      clusters: 1,
      nodes: 1,
      persistenceDir: data,
    });
    try {
      expect(second.adminToken).toBe(token);
      const res = await callAdmin(`${second.adminUrl}/clusters`, { token });
      expect(res.status).toBe(200);
    } finally {
      await second.stop();
    }

    const configured = await startFleet({
      clusters: 1,
      nodes: 1,
      adminToken: 'a-configured-admin-token',
      adminPort: 0,
    });
    try {
      expect(configured.adminToken).toBe('a-configured-admin-token');
      expect(
        (
          await callAdmin(`${configured.adminUrl}/clusters`, {
            token: 'a-configured-admin-token',
          })
        ).status,
      ).toBe(200);
    } finally {
      await configured.stop();
    }
  });
});
