/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import type { Server } from 'node:net';

/**
 * Listens on 127.0.0.1 (port 0: a free one) and resolves with the bound port;
 * a listen error (EADDRINUSE, EACCES) rejects instead of being thrown later.
 */
export async function listenOnLoopback(
  server: Server,
  options: { port: number; exclusive?: boolean; backlog?: number },
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ ...options, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return address && typeof address === 'object' ? address.port : options.port;
}
