/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { LightCluster, LightHost } from '../light/cluster';
import type { ClusterState, Reply, Request, Started } from './protocol';

// How many clusters a worker binds at the same time while starting.
const LISTEN_CONCURRENCY = 256;

/**
 * The main loop of a worker process (`kube-emulator --worker`, forked by startWorkerFleet):
 * serves light clusters and does what the parent asks over IPC. It exits when the parent goes
 * away, so no worker outlives its fleet.
 */
export async function runWorker(): Promise<void> {
  if (!process.send)
    throw new Error('kube-emulator --worker runs only as a forked worker');
  const host = await LightHost.create();
  const clusters = new Map<string, LightCluster>();
  const send = (reply: Reply) => process.send?.(reply);

  const stateOf = (c: LightCluster): ClusterState => ({
    running: c.running,
    port: c.port,
    faults: c.faults,
  });
  const find = (name: string) => {
    const c = clusters.get(name);
    if (!c) throw new Error(`no cluster named ${name} in this worker`);
    return c;
  };
  const shutdown = async () => {
    await Promise.all([...clusters.values()].map(c => c.stop()));
  };

  const handle = async (msg: Request): Promise<unknown> => {
    switch (msg.op) {
      case 'start': {
        const started: Started = { caData: host.caData, clusters: [] };
        const queue = [...msg.clusters];
        const next = async (): Promise<void> => {
          const a = queue.shift();
          if (!a) return;
          // The shared defaults are the prototype: a cluster's own options cost a few bytes.
          const options = Object.assign(
            Object.create(msg.defaults),
            a.overrides,
            { name: a.name, port: a.port },
          );
          const c = new LightCluster(host, options, a.tokens);
          clusters.set(a.name, c);
          await c.start();
          await next();
        };
        await Promise.all(Array.from({ length: LISTEN_CONCURRENCY }, next));
        for (const a of msg.clusters)
          started.clusters.push({ name: a.name, port: find(a.name).port });
        return started;
      }
      case 'setFaults':
        return Promise.all(
          msg.names.map(async n => {
            const c = find(n);
            await c.setFaults(msg.faults);
            return stateOf(c);
          }),
        );
      case 'stopCluster': {
        const c = find(msg.name);
        await c.stop();
        return stateOf(c);
      }
      case 'startCluster': {
        const c = find(msg.name);
        await c.start();
        return stateOf(c);
      }
      case 'memory':
        return process.memoryUsage();
      case 'shutdown':
        await shutdown();
        return undefined;
      default:
        throw new Error(`unknown request ${(msg as { op: string }).op}`);
    }
  };

  process.on('message', (msg: Request) => {
    handle(msg).then(
      result => {
        send({ id: msg.id, ok: true, result });
        if (msg.op === 'shutdown') process.disconnect();
      },
      e => send({ id: msg.id, ok: false, error: (e as Error).message }),
    );
  });
  process.on('disconnect', () => {
    shutdown().finally(() => process.exit(0));
  });
  process.send({ ready: true });
}
