/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EnvironmentEventLog } from './eventLog';
import type { EnvironmentStore } from './store/EnvironmentStore';

/**
 * Where expiry warnings go besides the event log: Backstage's notification
 * service (`@backstage/plugin-notifications-node`), declared structurally.
 */
export interface ExpiryNotifier {
  send(options: {
    recipients: { type: 'entity'; entityRef: string | string[] };
    payload: {
      title: string;
      description?: string;
      link?: string;
      severity?: 'critical' | 'high' | 'normal' | 'low';
      topic?: string;
      scope?: string;
    };
  }): Promise<void>;
}

/**
 * Tells owners that environments expire soon: an event on each environment
 * that expires within `warnBeforeMinutes`, and a notification to its owner
 * where the notifications plugin is installed (without it, sending fails
 * and is skipped quietly). Each expiry is announced once; an extension
 * resets it.
 */
export async function warnExpiring(options: {
  store: EnvironmentStore;
  events: EnvironmentEventLog;
  logger: LoggerService;
  notifier?: ExpiryNotifier;
  warnBeforeMinutes: number;
  now?: number;
}): Promise<string[]> {
  const now = options.now ?? Date.now();
  const names = await options.store.expiringUnwarned(
    now,
    options.warnBeforeMinutes * 60_000,
  );
  for (const name of names) {
    const env = await options.store.get(name);
    if (!env?.expiresAt) continue;
    const minutes = Math.max(1, Math.round((env.expiresAt - now) / 60_000));
    const when = new Date(env.expiresAt).toISOString();
    await options.store.updateEnvironment(name, { expiryWarnedAt: now });
    await options.events.record(
      name,
      'warning',
      undefined,
      `Expires at ${when} (in ${minutes} minutes) and will be destroyed; extend it to keep it (POST /environments/${name}/extend)`,
    );
    if (!options.notifier) continue;
    try {
      await options.notifier.send({
        recipients: { type: 'entity', entityRef: env.owner },
        payload: {
          title: `Environment ${name} expires in ${minutes} minutes`,
          description: `${env.type} on ${env.cloud} is destroyed at ${when} unless its TTL is extended.`,
          link: `/multicluster/environments/${name}`,
          severity: 'high',
          topic: 'multicluster-environment-expiry',
          scope: `multicluster-environment-expiry:${name}`,
        },
      });
    } catch (error) {
      // No notifications plugin in this portal: the event is the warning.
      options.logger.debug(
        `No notification sent for ${name}: ${(error as Error).message}`,
      );
    }
  }
  return names;
}
