/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Kubernetes label syntax: an optional DNS-subdomain prefix and a name of at most
// 63 characters; values are at most 63 characters of the same alphabet (or empty).
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `key` is a valid Kubernetes label key. @public */
export function isValidLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash === -1) {
    return NAME.test(key);
  }
  const prefix = key.slice(0, slash);
  return (
    prefix.length <= 253 &&
    PREFIX.test(prefix) &&
    NAME.test(key.slice(slash + 1))
  );
}

/** True when `value` is a valid Kubernetes label value. @public */
export function isValidLabelValue(value: string): boolean {
  return value === '' || NAME.test(value);
}

/**
 * Turns cloud tags into inventory labels. Labels feed Kubernetes label selectors,
 * so tags that are not valid label keys/values (spaces, `aws:` colons, long values)
 * are left out rather than mangled into something nobody wrote; `skipped` names them.
 * @public
 */
export function tagsToLabels(
  tags: Record<string, string | undefined> | undefined,
): {
  labels: Record<string, string>;
  skipped: string[];
} {
  const labels: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (value === undefined) {
      continue;
    }
    if (isValidLabelKey(key) && isValidLabelValue(value)) {
      labels[key] = value;
    } else {
      skipped.push(key);
    }
  }
  return { labels, skipped };
}
