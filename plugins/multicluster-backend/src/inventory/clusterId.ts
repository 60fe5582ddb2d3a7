/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createHash } from 'node:crypto';

/**
 * Normalises an API server URL into the key that identifies a cluster across
 * providers: lower-case scheme and host, no default port, no userinfo, no query,
 * no trailing slash. Paths are kept because proxies (Rancher, Teleport) serve
 * many clusters under one host.
 */
export function normaliseServerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new TypeError(
      `not a valid URL: ${JSON.stringify(redactForMessage(url))}`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(
      `API server URL must be http(s), got ${parsed.protocol}`,
    );
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : '80';
  const port =
    parsed.port && parsed.port !== defaultPort ? `:${parsed.port}` : '';
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}${port}${path}`;
}

function redactForMessage(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/, '//');
}

/** Lower-case, URL-safe slug of a cluster name; at most 40 characters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || 'cluster';
}

/**
 * The stable id of a cluster: a slug of its name and a short hash of its
 * normalised API server URL, e.g. `prod-eu-1-3f9a2c1d`. The hash makes two
 * clusters with one name distinct; the inventory assigns the id when it first
 * sees a URL and keeps it, so a later rename or a second provider naming the
 * same server differently never changes it.
 */
export function clusterIdFor(name: string, normalisedUrl: string): string {
  const hash = createHash('sha256')
    .update(normalisedUrl)
    .digest('hex')
    .slice(0, 8);
  return `${slugify(name)}-${hash}`;
}
