/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { readFile } from 'node:fs/promises';
import { ClusterCertificates } from './certs';
import { ResolvedClusterOptions } from './options';
import { StoreSnapshot } from './store/store';
import { randomToken } from './util';
import { Role, ROLES } from './auth/roles';

// A cluster's persistence file: its identity (CA, certificates, tokens) and
// its objects, kept across restarts.

export interface PersistedFile {
  kind: 'KubeEmulatorState';
  version: 1;
  name: string;
  port: number;
  identity: ClusterCertificates & {
    tokens?: Partial<Record<Role, string>>;
    // Written by earlier versions, read for compatibility.
    adminToken?: string;
    readOnlyToken?: string;
  };
  store?: StoreSnapshot;
}

/** Tokens from the options, else the persisted ones, else new random ones. */
export function resolveTokens(
  options: ResolvedClusterOptions,
  persisted: PersistedFile['identity'] | undefined,
): Record<Role, string> {
  const given: Partial<Record<Role, string>> = {
    ...options.tokens,
  };
  given.admin ??= options.adminToken;
  given.view ??= options.readOnlyToken;
  const kept: Partial<Record<Role, string>> = {
    admin: persisted?.adminToken,
    view: persisted?.readOnlyToken,
    ...persisted?.tokens,
  };
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES)
    tokens[role] = given[role] ?? kept[role] ?? randomToken();
  if (new Set(Object.values(tokens)).size !== ROLES.length)
    throw new Error(
      `Invalid kube-emulator cluster options: tokens: every role needs its own token`,
    );
  return tokens;
}

export async function readPersisted(
  file: string,
): Promise<PersistedFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as PersistedFile;
    if (parsed.kind !== 'KubeEmulatorState' || !parsed.identity?.caCertPem)
      throw new Error('not a kube-emulator state file');
    return parsed;
  } catch (e) {
    throw new Error(
      `Cannot read kube-emulator persistence file ${file}: ${
        (e as Error).message
      }`,
    );
  }
}
