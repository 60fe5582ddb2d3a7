/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

const MAX_LENGTH = 500;

/**
 * A one-line description of a cloud API error for failedScopes and logs. Only the
 * error's name, code and message are used (never request objects or headers, which
 * can carry signatures), and the line is capped.
 * @public
 */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error) {
    const { code, statusCode } = error as {
      code?: unknown;
      statusCode?: unknown;
    };
    const details = [
      typeof code === 'string' && code !== error.name ? code : undefined,
      typeof statusCode === 'number' ? `HTTP ${statusCode}` : undefined,
    ].filter(Boolean);
    const prefix = details.length
      ? `${error.name} (${details.join(', ')})`
      : error.name;
    text = error.message ? `${prefix}: ${error.message}` : prefix;
  } else {
    text = String(error);
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
