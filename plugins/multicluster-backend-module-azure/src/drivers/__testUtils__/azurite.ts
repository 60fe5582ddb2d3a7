/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts Azurite's Blob service on a free 127.0.0.1 port with a temporary data directory; at most 30 s. */
export async function startAzurite(): Promise<{
  blobEndpoint: string;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'archi-azurite-'));
  const main = path.join(
    path.dirname(require.resolve('azurite/package.json')),
    'dist/src/blob/main.js',
  );
  const child: ChildProcess = spawn(
    process.execPath,
    // Data on disk in a temporary directory (removed at stop); also its debug and metadata files.
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--location',
      dir,
      '--silent',
      '--skipApiVersionCheck',
    ],
    { stdio: 'ignore', cwd: dir },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await new Promise<boolean>(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('azurite did not start');
    }
    await sleep(100);
  }
  return {
    blobEndpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
