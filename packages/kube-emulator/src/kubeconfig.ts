/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import yaml from 'js-yaml';

/** A kubeconfig (clientcmd v1 Config) as a plain object. */
export interface KubeConfig {
  apiVersion: 'v1';
  kind: 'Config';
  preferences: Record<string, never>;
  'current-context': string;
  clusters: Array<{
    name: string;
    cluster: { server: string; 'certificate-authority-data': string };
  }>;
  users: Array<{ name: string; user: { token: string } }>;
  contexts: Array<{
    name: string;
    context: { cluster: string; user: string; namespace?: string };
  }>;
}

/** What a kubeconfig needs to know about one cluster. */
export interface KubeConfigEntry {
  name: string;
  url: string;
  caData: string;
  adminToken: string;
  readOnlyToken: string;
}

/**
 * Builds a kubeconfig with one context per cluster named after it (admin token), plus
 * `<name>-readonly` contexts with the read-only token when asked.
 */
export function buildKubeConfig(
  entries: KubeConfigEntry[],
  options: {
    readOnlyContexts?: boolean;
    currentContext?: string;
    namespace?: string;
  } = {},
): KubeConfig {
  const config: KubeConfig = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': options.currentContext ?? entries[0]?.name ?? '',
    clusters: [],
    users: [],
    contexts: [],
  };
  for (const e of entries) {
    config.clusters.push({
      name: e.name,
      cluster: {
        server: e.url,
        'certificate-authority-data': Buffer.from(e.caData).toString('base64'),
      },
    });
    config.users.push({
      name: `${e.name}-admin`,
      user: { token: e.adminToken },
    });
    config.contexts.push({
      name: e.name,
      context: {
        cluster: e.name,
        user: `${e.name}-admin`,
        namespace: options.namespace ?? 'default',
      },
    });
    if (options.readOnlyContexts) {
      config.users.push({
        name: `${e.name}-readonly`,
        user: { token: e.readOnlyToken },
      });
      config.contexts.push({
        name: `${e.name}-readonly`,
        context: {
          cluster: e.name,
          user: `${e.name}-readonly`,
          namespace: options.namespace ?? 'default',
        },
      });
    }
  }
  return config;
}

export function kubeConfigYaml(config: KubeConfig): string {
  return yaml.dump(config, { lineWidth: -1, noRefs: true });
}

/** Writes a file atomically (temp file + rename), creating the directory, mode 0600. */
export async function writeFileAtomic(file: string, content: string) {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}
