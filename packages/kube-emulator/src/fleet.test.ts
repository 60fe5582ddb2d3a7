/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startCluster } from './cluster';
import { startFleet } from './fleet';
import { call, callAdmin as callAdminRaw } from './__testUtils__/http';
import { Kubectl } from './__testUtils__/kubectl';

// Real kubectl processes and servers: generous bounds for a loaded CI machine.
jest.setTimeout(30_000);

describe('fleets, the admin endpoint, persistence and the CLI', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-emulator-fleet-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts N clusters, each with its own port, CA, tokens and version, and one kubeconfig', async () => {
    const fleet = await startFleet({
      clusters: 3,
      nodes: 1,
      perCluster: i =>
        i === 2
          ? { version: { gitVersion: 'v1.30.8-eks-2d98532' }, nodes: 2 }
          : {},
    });
    try {
      expect(fleet.clusters.map(c => c.name)).toEqual([
        'emulator-1',
        'emulator-2',
        'emulator-3',
      ]);
      expect(new Set(fleet.clusters.map(c => c.port)).size).toBe(3);
      expect(new Set(fleet.clusters.map(c => c.caData)).size).toBe(3);
      expect(new Set(fleet.clusters.map(c => c.adminToken)).size).toBe(3);
      for (const c of fleet.clusters) {
        expect(c.url).toBe(`https://127.0.0.1:${c.port}`);
        const ca = new X509Certificate(c.caData);
        expect(ca.ca).toBe(true);
        expect(ca.subject).toContain(`CN=${c.name}-ca`);
      }
      const version = (
        await call(fleet.cluster(2), '/version', {
          token: fleet.cluster(2).adminToken,
        })
      ).json();
      expect(version).toMatchObject({
        gitVersion: 'v1.30.8-eks-2d98532',
        major: '1',
        minor: '30+',
      });

      const file = join(dir, 'fleet.yaml');
      await fleet.writeKubeconfig(file);
      const config = parseYaml(readFileSync(file, 'utf8')) as any;
      expect(config.contexts.map((c: any) => c.name)).toEqual([
        'emulator-1',
        'emulator-2',
        'emulator-3',
      ]);
      const kubectl = new Kubectl(readFileSync(file, 'utf8'));
      try {
        const nodes = await kubectl.ok([
          '--context',
          'emulator-2',
          'get',
          'nodes',
          '-o',
          'name',
        ]);
        expect(nodes.trim().split('\n')).toEqual([
          'node/emulator-2-node-1',
          'node/emulator-2-node-2',
        ]);
      } finally {
        kubectl.cleanup();
      }
      expect(
        fleet.kubeconfig({ readOnlyContexts: true }).contexts.map(c => c.name),
      ).toContain('emulator-3-readonly');
    } finally {
      await fleet.stop();
    }
  });

  it('serves the admin endpoint: faults per cluster and for all, stop and start', async () => {
    const fleet = await startFleet({ clusters: 2, nodes: 1 });
    const admin = fleet.adminUrl!;
    const token = fleet.adminToken!;
    const callAdmin = (
      url: string,
      options: { method?: string; body?: unknown } = {},
    ) => callAdminRaw(url, { ...options, token });
    try {
      const list = (await callAdmin(`${admin}/clusters`)).json();
      expect(list.items.map((c: any) => [c.name, c.url, c.running])).toEqual([
        ['emulator-1', fleet.cluster(1).url, true],
        ['emulator-2', fleet.cluster(2).url, true],
      ]);

      const put = await callAdmin(`${admin}/clusters/emulator-2/faults`, {
        method: 'PUT',
        body: { failingReadyzChecks: ['etcd'] },
      });
      expect(put.status).toBe(200);
      expect(put.json()).toMatchObject({
        failingReadyzChecks: ['etcd'],
        refuse: false,
      });
      expect((await call(fleet.cluster(2), '/readyz')).status).toBe(500);
      expect((await call(fleet.cluster(1), '/readyz')).status).toBe(200);
      const patched = await callAdmin(`${admin}/clusters/emulator-2/faults`, {
        method: 'PATCH',
        body: { latencyMs: 5 },
      });
      expect(patched.json()).toMatchObject({
        failingReadyzChecks: ['etcd'],
        latencyMs: 5,
      });
      expect(
        (await callAdmin(`${admin}/clusters/emulator-2/faults`)).json(),
      ).toMatchObject({ latencyMs: 5 });

      const bad = await callAdmin(`${admin}/clusters/emulator-1/faults`, {
        method: 'PUT',
        body: { errorRate: 'lots' },
      });
      expect(bad.status).toBe(400);
      expect(bad.json().error.message).toContain(
        'errorRate: Expected number, received string',
      );
      expect(
        (await callAdmin(`${admin}/clusters/emulator-9/faults`)).status,
      ).toBe(404);

      await callAdmin(`${admin}/faults`, {
        method: 'PUT',
        body: { revokedTokens: ['readOnly'] },
      });
      for (const c of fleet.clusters) {
        expect((await call(c, '/api', { token: c.tokens.view })).status).toBe(
          401,
        );
        expect((await call(c, '/readyz')).status).toBe(200);
      }
      await callAdmin(`${admin}/faults`, { method: 'DELETE' });
      expect(
        (
          await call(fleet.cluster(1), '/api', {
            token: fleet.cluster(1).readOnlyToken,
          })
        ).status,
      ).toBe(200);

      const stopped = (
        await callAdmin(`${admin}/clusters/emulator-1/stop`, { method: 'POST' })
      ).json();
      expect(stopped.running).toBe(false);
      await expect(call(fleet.cluster(1), '/readyz')).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
      await callAdmin(`${admin}/clusters/emulator-1/start`, { method: 'POST' });
      expect((await call(fleet.cluster(1), '/readyz')).text).toBe('ok');

      const kubeconfig = await callAdmin(`${admin}/kubeconfig`);
      expect(kubeconfig.headers['content-type']).toBe('application/yaml');
      expect((parseYaml(kubeconfig.text) as any).clusters).toHaveLength(2);
    } finally {
      await fleet.stop();
    }
  });

  it('rejects bad options with errors that name the field', async () => {
    await expect(startCluster({ nodes: -1 })).rejects.toThrow(
      'Invalid kube-emulator cluster options: nodes: Number must be greater than or equal to 0',
    );
    await expect(startCluster({ name: 'Bad_Name' })).rejects.toThrow(
      /name: must be a DNS label/,
    );
    await expect(
      startCluster({ version: { gitVersion: '1.31' } }),
    ).rejects.toThrow(/version\.gitVersion: must look like v1\.31\.4/);
    await expect(
      startCluster({ nodeTemplate: { cpu: 'lots' } }),
    ).rejects.toThrow(/nodeTemplate\.cpu/);
    await expect(startCluster({ colour: 'blue' } as any)).rejects.toThrow(
      /unknown option colour/,
    );
    await expect(startFleet({ clusters: 0 })).rejects.toThrow(
      /clusters: Number must be greater than or equal to 1/,
    );
    await expect(startFleet({ clusters: 2, basePort: 65535 })).rejects.toThrow(
      /basePort/,
    );
  });

  it('persists objects, CA, tokens and port across restarts', async () => {
    const file = join(dir, 'dev.json');
    const first = await startCluster({
      name: 'dev',
      nodes: 1,
      persistenceFile: file,
    });
    first.store.create('configmaps', {
      metadata: { name: 'settings', namespace: 'default' },
      data: { theme: 'dark' },
    });
    first.store.create('namespaces', { metadata: { name: 'team-b' } });
    const identity = {
      port: first.port,
      caData: first.caData,
      adminToken: first.adminToken,
    };
    await first.stop();

    const second = await startCluster({
      name: 'dev',
      nodes: 1,
      persistenceFile: file,
    });
    try {
      expect({
        port: second.port,
        caData: second.caData,
        adminToken: second.adminToken,
      }).toEqual(identity);
      expect(
        second.store.get('configmaps', 'settings', 'default')?.data,
      ).toEqual({ theme: 'dark' });
      expect(second.store.get('namespaces', 'team-b')).toBeDefined();
      const res = await call(
        second,
        '/api/v1/namespaces/default/configmaps/settings',
        { token: identity.adminToken },
      );
      expect(res.json().data).toEqual({ theme: 'dark' });
      // New writes continue after the persisted resourceVersion.
      const rv = Number(res.json().metadata.resourceVersion);
      const created = second.store.create('configmaps', {
        metadata: { name: 'later', namespace: 'default' },
      });
      expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(rv);
    } finally {
      await second.stop();
    }
  });

  it('runs the kube-emulator CLI until SIGTERM, writing a kubeconfig kubectl uses', async () => {
    const bin = resolve(__dirname, '..', 'bin', 'kube-emulator');
    const kubeconfig = join(dir, 'cli.yaml');
    const child = spawn(
      process.execPath,
      [
        bin,
        '--clusters',
        '2',
        '--nodes',
        '2',
        '--kubeconfig',
        kubeconfig,
        '--latency-ms',
        '1',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const exited = new Promise<number | null>(r =>
      child.on('exit', code => r(code)),
    );
    try {
      const deadline = Date.now() + 20_000;
      while (
        !out.includes('Press Ctrl+C') &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(out).toContain('kube-emulator: 2 clusters listening on 127.0.0.1');
      expect(out).toMatch(/emulator-2\s+https:\/\/127\.0\.0\.1:\d+/);
      // The admin token is kept next to the kubeconfig, named but never printed.
      const tokenFile = join(dir, 'admin-token');
      const adminToken = readFileSync(tokenFile, 'utf8').trim();
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(out).toContain(`(Authorization: Bearer <token in ${tokenFile}>)`);
      expect(out).not.toContain(adminToken);
      const adminUrl = /admin endpoint: (http:\/\/127\.0\.0\.1:\d+)/.exec(
        out,
      )![1];
      const listed = await callAdminRaw(`${adminUrl}/clusters`, {
        token: adminToken,
      });
      expect(listed.json().items).toHaveLength(2);
      const kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
      try {
        const nodes = await kubectl.ok([
          '--context',
          'emulator-2',
          'get',
          'nodes',
          '--no-headers',
        ]);
        expect(nodes.trim().split('\n')).toHaveLength(2);
      } finally {
        kubectl.cleanup();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('kube-emulator: stopped');
  }, 30_000);

  it('prints usage for --help and fails on unknown flags', async () => {
    const bin = resolve(__dirname, '..', 'bin', 'kube-emulator');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>(done => {
        const child = spawn(process.execPath, [bin, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', d => (out += d));
        child.stderr.on('data', d => (out += d));
        child.on('exit', code => done({ code, out }));
      });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: kube-emulator');
    const bad = await run(['--clusters', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--clusters must be a number');
  }, 30_000);
});
