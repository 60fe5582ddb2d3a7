/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { randomInt } from 'node:crypto';
import { Server } from 'node:net';

// Load balancer addresses are random loopback addresses: Linux routes all of 127.0.0.0/8 to the
// loopback interface, so each Service or Ingress gets an address of its own that any local
// client reaches, with no setup. 127.0.x.x is left alone (127.0.0.1, and 127.0.1.1 that Debian
// gives the host name).

/** Addresses held by a Service or Ingress of this process (every cluster, every fleet). */
const claimed = new Set<string>();

/** Whether an address can be a load balancer address (127.1.0.1 … 127.254.255.254). */
export function isBalancerAddress(ip: string | undefined): ip is string {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip ?? '');
  if (!m) return false;
  const [a, b, c] = m.slice(1).map(Number);
  return a >= 1 && a <= 254 && b <= 255 && c >= 1 && c <= 254;
}

function randomAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** Claims an address: `preferred` when it is free in this process, else a new random one. */
export function claimAddress(preferred?: string): string {
  if (isBalancerAddress(preferred) && !claimed.has(preferred)) {
    claimed.add(preferred);
    return preferred;
  }
  for (;;) {
    const ip = randomAddress();
    if (!claimed.has(ip)) {
      claimed.add(ip);
      return ip;
    }
  }
}

export function releaseAddress(ip: string) {
  claimed.delete(ip);
}

/** Why a port could not be bound. */
export type BindFailure = 'in-use' | 'not-permitted' | 'unavailable';

/**
 * Listens on ip:port. Resolves with the bound port, or rejects with a BindError: `in-use`
 * (another process holds that address and port), `not-permitted` (a port below 1024 for a user
 * who may not bind one) or `unavailable` (the address cannot be bound on this system).
 */
export function listenOn(
  server: Server,
  ip: string,
  port: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const handlers = {
      error(e: NodeJS.ErrnoException) {
        server.off('listening', handlers.listening);
        let reason: BindFailure = 'unavailable';
        if (e.code === 'EADDRINUSE') reason = 'in-use';
        else if (e.code === 'EACCES' || e.code === 'EPERM')
          reason = 'not-permitted';
        reject(Object.assign(new Error(e.message), { reason }));
      },
      listening() {
        server.off('error', handlers.error);
        const address = server.address();
        resolve(address && typeof address === 'object' ? address.port : port);
      },
    };
    server.once('error', handlers.error);
    server.once('listening', handlers.listening);
    server.listen({ host: ip, port, exclusive: true });
  });
}

export function bindFailure(e: unknown): BindFailure {
  return (e as { reason?: BindFailure }).reason ?? 'unavailable';
}
