/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { chmod, mkdir } from 'node:fs/promises';

/**
 * The mode of the local data folder: private to the backend's user (it holds
 * emulated clusters' tokens, embedded PostgreSQL's data and the emulator's
 * admin token). As root, embedded PostgreSQL runs as the `postgres` user,
 * which must pass through the folder to its own data: 0711 then, which lets
 * it enter but not list.
 * @internal
 */
export function dataDirMode(): number {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? 0o711 : 0o700;
}

/**
 * Creates the local data folder (and any missing parents) private to the
 * backend's user, and narrows an existing folder to the same mode.
 * @internal
 */
export async function prepareDataDir(dir: string): Promise<void> {
  const mode = dataDirMode();
  await mkdir(dir, { recursive: true, mode });
  await chmod(dir, mode);
}
