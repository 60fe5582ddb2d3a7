/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The URL of a cluster the cloud has not given an API endpoint yet (it is being
 * created). The inventory identifies clusters by URL, so a provisioning cluster
 * needs one to be listed at all: this one lives under the reserved `.invalid`
 * domain (RFC 6761), never resolves, and is unique per cluster. Once the cloud
 * reports the real endpoint, the cluster is listed under that.
 * @public
 */
export function pendingUrl(distribution: string, sourceId: string): string {
  return `https://provisioning.invalid/${distribution}/${encodeURIComponent(
    sourceId,
  )}`;
}
