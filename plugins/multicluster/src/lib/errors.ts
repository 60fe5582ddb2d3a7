/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * True for a 404 from the multicluster API (a ResponseError carries
 * `statusCode`) or a NotFoundError. Duck-typed: an app can bundle more than
 * one copy of @backstage/errors, which defeats instanceof.
 */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  return (
    (error as { statusCode?: unknown }).statusCode === 404 ||
    error.name === 'NotFoundError'
  );
}
