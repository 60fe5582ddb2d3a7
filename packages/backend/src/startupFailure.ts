/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** The message of an error and of each of its causes, one line. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const e = current as { name?: unknown; message?: unknown; cause?: unknown };
    parts.push(
      typeof e?.message === 'string'
        ? `${typeof e.name === 'string' ? `${e.name}: ` : ''}${e.message}`
        : String(current),
    );
    current = e?.cause;
  }
  return parts.join('; caused by ');
}

/**
 * Backstage's `backend.start()` rejects when a service or plugin fails to
 * start; without this the process would log and linger (or exit 0). Exits 1,
 * so a container restarts and a deployment fails visibly.
 */
export function reportStartupFailure(error: unknown): never {
  process.stderr.write(`Backend failed to start: ${describeError(error)}\n`);
  process.exit(1);
}
