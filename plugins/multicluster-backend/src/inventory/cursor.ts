/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';

/** What a cursor carries: the sort it was made for, the filters' hash and the last row's keys. */
export interface CursorPayload {
  sort: string;
  filterHash: string;
  values: Array<string | number>;
}

/** Encodes a keyset cursor; opaque to clients (base64url JSON). */
export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(
    JSON.stringify([payload.sort, payload.filterHash, payload.values]),
  ).toString('base64url');
}

/**
 * Decodes a cursor and checks it belongs to this query; a cursor from another
 * sort or filter would silently skip or repeat rows, so that is a 400.
 */
export function decodeCursor(
  cursor: string,
  sort: string,
  filterHash: string,
): CursorPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(
      'Invalid query parameter cursor: not a cursor returned by this API (use nextCursor as is)',
    );
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !Array.isArray(parsed[2]) ||
    !parsed[2].every(v => typeof v === 'string' || typeof v === 'number')
  ) {
    throw new InputError(
      'Invalid query parameter cursor: not a cursor returned by this API (use nextCursor as is)',
    );
  }
  if (parsed[0] !== sort || parsed[1] !== filterHash) {
    throw new InputError(
      'Invalid query parameter cursor: it belongs to a different query; keep selector, cloud, health, q and sort unchanged while paging',
    );
  }
  return { sort: parsed[0], filterHash: parsed[1], values: parsed[2] };
}

/** A short, stable hash of anything JSON-serialisable. */
export function hashOf(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest('base64url')
    .slice(0, 16);
}
