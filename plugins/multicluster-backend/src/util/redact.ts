/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Removes userinfo (`https://user:password@host`) from a URL so it can be shown
 * or logged. Leaves anything that does not parse as a URL untouched.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) {
      return url;
    }
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]+@/, '//');
  }
}

// Shapes that look like credentials inside free text (tool output, upstream error bodies).
const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
  /\bk8s-aws-v1\.[A-Za-z0-9_-]+/g,
  /\b(token|password|secret|key)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  /\/\/[^/@\s]+:[^/@\s]+@/g,
];

/**
 * Best-effort scrub of credential-looking substrings from text that did not
 * come from us (stderr of an exec plugin, an upstream error message).
 */
export function redactText(text: string, knownSecrets: string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('[redacted]');
    }
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, ...groups) => {
      if (pattern.source.startsWith('\\b(token|password')) {
        return `${groups[0]}${groups[1]}[redacted]`;
      }
      if (match.startsWith('//')) {
        return '//';
      }
      return '[redacted]';
    });
  }
  return out;
}
