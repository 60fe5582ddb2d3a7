/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { Role } from './auth/roles';

/** A kubeconfig (clientcmd v1 Config) as a plain object. @public */
export interface KubeConfig {
  /** Always `v1`. */
  apiVersion: 'v1';
  /** Always `Config`. */
  kind: 'Config';
  /** Always empty. */
  preferences: Record<string, never>;
  /** The context kubectl uses by default. */
  'current-context': string;
  /** One entry per cluster: its URL and CA. */
  clusters: Array<{
    name: string;
    cluster: { server: string; 'certificate-authority-data': string };
  }>;
  /** One entry per identity: its bearer token. */
  users: Array<{ name: string; user: { token: string } }>;
  /** One entry per cluster and identity. */
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
  tokens: Partial<Record<Role, string>>;
}

/**
 * Which identities a kubeconfig holds. The context named after each cluster uses `role`
 * (default `admin`); each role in `roles` adds a context `<name>-<role>`.
 *
 * @public
 */
export interface KubeConfigOptions {
  /** The identity of the context named after the cluster (default `admin`). */
  role?: Role;
  /** More contexts, `<name>-<role>`, one per role. */
  roles?: Role[];
  /**
   * Adds `<name>-readonly` contexts with the view token.
   * @deprecated use `roles: ['view']` (contexts `<name>-view`)
   */
  readOnlyContexts?: boolean;
}

/** Builds a kubeconfig with one context per cluster and role, as the options ask. */
export function buildKubeConfig(
  entries: KubeConfigEntry[],
  options: KubeConfigOptions & {
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
  const main = options.role ?? 'admin';
  const namespace = options.namespace ?? 'default';
  for (const e of entries) {
    config.clusters.push({
      name: e.name,
      cluster: {
        server: e.url,
        'certificate-authority-data': Buffer.from(e.caData).toString('base64'),
      },
    });
    const users = new Set<string>();
    const add = (context: string, user: string, role: Role) => {
      const token = e.tokens[role];
      if (!token)
        throw new Error(`cluster ${e.name} has no token for the ${role} role`);
      if (!users.has(user)) {
        users.add(user);
        config.users.push({ name: user, user: { token } });
      }
      config.contexts.push({
        name: context,
        context: { cluster: e.name, user, namespace },
      });
    };
    add(e.name, `${e.name}-${main}`, main);
    for (const role of options.roles ?? [])
      add(`${e.name}-${role}`, `${e.name}-${role}`, role);
    if (options.readOnlyContexts)
      add(`${e.name}-readonly`, `${e.name}-readonly`, 'view');
  }
  return config;
}

export function kubeConfigYaml(config: KubeConfig): string {
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Writes a file atomically (temp file + rename), mode 0600, creating its folder with mode 0700. */
export async function writeFileAtomic(file: string, content: string) {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}
