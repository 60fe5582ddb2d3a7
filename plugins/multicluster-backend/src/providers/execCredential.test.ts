/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorOf } from '../__testUtils__/errors';
import {
  EXEC_DEFAULT_TTL_MS,
  ExecCredentialPlugin,
  parseExecCredential,
  renewAt,
} from './execCredential';

const SCRIPT = `
const fs = require('fs');
fs.appendFileSync(process.env.COUNT_FILE, 'x');
const mode = process.env.MODE;
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
if (mode === 'fail') { process.stderr.write('Unable to locate credentials. token=abc123secret\\n'); process.exit(255); }
if (mode === 'hang') { setTimeout(() => {}, 60000); return; }
if (mode === 'garbage') { process.stdout.write('not json'); return; }
const ttl = Number(process.env.TTL_MS || '3600000');
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: 'tok-' + fs.readFileSync(process.env.COUNT_FILE, 'utf8').length + '-' + (info.spec.cluster ? info.spec.cluster.server : 'none'),
            expirationTimestamp: new Date(Date.now() + ttl).toISOString() },
}));
`;

describe('ExecCredentialPlugin', () => {
  let dir: string;
  let script: string;
  let countFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-exec-'));
    script = path.join(dir, 'plugin.js');
    countFile = path.join(dir, 'count');
    fs.writeFileSync(script, SCRIPT);
    fs.writeFileSync(countFile, '');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const plugin = (
    env: Record<string, string>,
    extra: Partial<ConstructorParameters<typeof ExecCredentialPlugin>[1]> = {},
  ) =>
    new ExecCredentialPlugin(
      {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: [script],
        env: [
          { name: 'COUNT_FILE', value: countFile },
          ...Object.entries(env).map(([name, value]) => ({ name, value })),
        ],
        provideClusterInfo: true,
      },
      {
        timeoutMs: 5000,
        baseDir: dir,
        cluster: { server: 'https://k.example.com' },
        ...extra,
      },
    );
  const runs = () => fs.readFileSync(countFile, 'utf8').length;

  it('runs the plugin once for concurrent callers and caches until near expiry', async () => {
    const p = plugin({ TTL_MS: '3600000' });
    const [a, b] = await Promise.all([p.getCredentials(), p.getCredentials()]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      type: 'bearer',
      token: 'tok-1-https://k.example.com',
    });
    await p.getCredentials();
    expect(runs()).toBe(1);
  });

  it('runs again once the credential is about to expire', async () => {
    let now = Date.now();
    const p = plugin({ TTL_MS: '120000' }, { now: () => now });
    await p.getCredentials();
    now += 59_000;
    await p.getCredentials();
    expect(runs()).toBe(1);
    now += 2_000; // within the one-minute margin
    const again = await p.getCredentials();
    expect(runs()).toBe(2);
    expect(again).toMatchObject({ token: expect.stringMatching(/^tok-2-/) });
  });

  it('reports a failing plugin with its exit code and scrubbed stderr', async () => {
    const error = await plugin({ MODE: 'fail' })
      .getCredentials()
      .catch(e => e);
    expect(error.message).toMatch(
      /exited with code 255: Unable to locate credentials/,
    );
    expect(error.message).not.toContain('abc123secret');
  });

  it('times out a hanging plugin', async () => {
    const p = plugin({ MODE: 'hang' }, { timeoutMs: 300 });
    await expect(p.getCredentials()).rejects.toThrow(/timed out after 300 ms/);
  });

  it('rejects output that is not an ExecCredential', async () => {
    await expect(plugin({ MODE: 'garbage' }).getCredentials()).rejects.toThrow(
      /not JSON/,
    );
  });

  it('explains a missing command with the install hint', async () => {
    const p = new ExecCredentialPlugin(
      {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'definitely-not-installed-xyz',
        installHint: 'Install the aws CLI',
      },
      { timeoutMs: 1000, baseDir: dir },
    );
    await expect(p.getCredentials()).rejects.toThrow(
      /command not found: definitely-not-installed-xyz \(Install the aws CLI\)/,
    );
  });

  it('refuses interactive-only plugins', async () => {
    const p = new ExecCredentialPlugin(
      {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'kubelogin',
        interactiveMode: 'Always',
      },
      { timeoutMs: 1000, baseDir: dir },
    );
    await expect(p.getCredentials()).rejects.toThrow(/cannot prompt/);
  });
});

describe('parseExecCredential', () => {
  it('accepts client certificates', () => {
    const out = parseExecCredential(
      JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        kind: 'ExecCredential',
        status: { clientCertificateData: 'C', clientKeyData: 'K' },
      }),
    );
    expect(out.credentials).toEqual({
      type: 'clientCertificate',
      certData: 'C',
      keyData: 'K',
    });
  });

  it('names the bad field without echoing values', () => {
    expect(() =>
      parseExecCredential(
        JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1',
          kind: 'ExecCredential',
          status: { token: 'sekrit', expirationTimestamp: 'tomorrow' },
        }),
      ),
    ).toThrow(/status.expirationTimestamp/);
    const error = errorOf(() =>
      parseExecCredential(
        JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1',
          kind: 'ExecCredential',
          status: { token: 'sekrit', expirationTimestamp: 'tomorrow' },
        }),
      ),
    );
    expect(error.message).not.toContain('sekrit');
  });

  it('computes renewal times', () => {
    expect(renewAt(0, undefined)).toBe(EXEC_DEFAULT_TTL_MS);
    expect(renewAt(0, new Date(3_600_000))).toBe(3_540_000);
    expect(renewAt(0, new Date(10_000))).toBe(5_000);
  });
});
