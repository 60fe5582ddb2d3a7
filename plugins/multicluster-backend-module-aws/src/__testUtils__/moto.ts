/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/** A port on 127.0.0.1 that refuses connections: a dead endpoint. */
export const deadEndpoint = async () => `http://127.0.0.1:${await freePort()}`;

/** A running moto_server. */
export interface Moto {
  endpoint: string;
  /** Drops every resource, between tests. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `moto_server` on a free 127.0.0.1 port and waits (at most 30 s) until it answers. */
export async function startMoto(): Promise<Moto> {
  // A port found free may be taken by another process before moto binds it: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startMotoOn(await freePort());
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(String(error)))
        throw error;
    }
  }
}

async function startMotoOn(port: number): Promise<Moto> {
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'moto_server',
    ['-H', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', error =>
      reject(
        new Error(
          `moto_server could not be started (pip install 'moto[server]'): ${error.message}`,
        ),
      ),
    );
  });
  await spawned;
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not start within 30 s: ${stderr}`);
    }
    await sleep(200);
  }

  return {
    endpoint,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * An HTTP proxy in front of `target` that answers the first `count` requests whose
 * `X-Amz-Target`/path matches `match` with a throttling error (429), as AWS does
 * under load, and forwards everything else. Counts what it saw. `reply` replaces
 * the error (REST-XML services such as Route53 answer in XML).
 */
export async function startThrottlingProxy(
  target: string,
  options: {
    match: (req: { method?: string; url?: string }) => boolean;
    count: number;
    reply?: (n: number) => {
      status: number;
      headers: Record<string, string>;
      body: string;
    };
  },
): Promise<{
  endpoint: string;
  matched: () => number;
  throttled: () => number;
  close(): Promise<void>;
}> {
  let matched = 0;
  let throttled = 0;
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if (options.match(req)) {
      matched++;
      if (throttled < options.count) {
        throttled++;
        req.resume();
        if (options.reply) {
          const r = options.reply(throttled);
          res.writeHead(r.status, r.headers);
          res.end(r.body);
          return;
        }
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ThrottlingException',
        });
        res.end(JSON.stringify({ message: 'Rate exceeded' }));
        return;
      }
    }
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      upstreamRes => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    proxied.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(proxied);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    matched: () => matched,
    throttled: () => throttled,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A proxy in front of moto's EKS API that rewrites the `endpoint` of described
 * clusters (random *.eks.amazonaws.com names) to distinct paths on a loopback port
 * that refuses connections, so a backend that probes discovered clusters never
 * looks up or contacts anything off this machine.
 */
export async function startLoopbackEndpointProxy(
  target: string,
): Promise<{ endpoint: string; deadPort: number; close(): Promise<void> }> {
  const deadPort = Number(new URL(await deadEndpoint()).port);
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      upstreamRes => {
        const chunks: Buffer[] = [];
        upstreamRes.on('data', chunk => chunks.push(chunk));
        upstreamRes.on('end', () => {
          const body = Buffer.concat(chunks)
            .toString('utf8')
            .replace(
              /https:\/\/([A-Za-z0-9.-]+\.eks\.amazonaws\.com)\/?/g,
              (_m, host: string) => `https://127.0.0.1:${deadPort}/${host}`,
            );
          const headers = { ...upstreamRes.headers };
          delete headers['content-length'];
          res.writeHead(upstreamRes.statusCode ?? 502, {
            ...headers,
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        });
      },
    );
    proxied.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(proxied);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    deadPort,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
