/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { AdminTarget, createAdminServer } from './server';
import { resolveAdminToken } from './token';
import { listenOnLoopback } from '../loopback';

/** A listening admin endpoint. */
export interface AdminEndpoint {
  port: number;
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Resolves the admin token and starts the admin endpoint on 127.0.0.1. */
export async function listenAdmin(options: {
  port: number;
  token?: string;
  tokenFile?: string;
  clusters: () => AdminTarget[];
  kubeconfigYaml: () => string;
}): Promise<AdminEndpoint> {
  const token = await resolveAdminToken({
    token: options.token,
    file: options.tokenFile,
  });
  const server = createAdminServer({
    clusters: options.clusters,
    kubeconfigYaml: options.kubeconfigYaml,
    token,
  });
  const port = await listenOnLoopback(server, { port: options.port });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    token,
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
