/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Pure formatting helpers. `now` is a parameter everywhere so tests are exact.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Trims to one decimal and drops a trailing `.0` (`15.0` → `15`). */
function oneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/**
 * Memory in binary units, as Kubernetes reports it (`Gi`): `16 GiB`, `1.5 MiB`.
 * Negative or non-finite input is shown as unknown rather than as nonsense.
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return '—';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // Rounding can carry into the next unit (1023.96 KiB → "1024 KiB"); move up.
  if (Math.round(value * 10) / 10 >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : oneDecimal(value)} ${
    BYTE_UNITS[unit]
  }`;
}

/** CPU: whole cores as `4 cores`, fractions under one core in millicores (`250m`). */
export function formatCpu(cores: number | undefined): string {
  if (cores === undefined || !Number.isFinite(cores) || cores < 0) {
    return '—';
  }
  const millicores = Math.round(cores * 1000);
  if (cores > 0 && millicores < 1000) {
    return `${millicores}m`;
  }
  const text = oneDecimal(cores);
  return `${text} ${text === '1' ? 'core' : 'cores'}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration as its two largest units: `2 d 4 h`, `3 h 15 min`, `45 min`, `30 s`.
 * Rounds down, so a TTL never looks longer than it is.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  if (days > 0) {
    return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  }
  if (hours > 0) {
    return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  if (minutes > 0) {
    return `${minutes} min`;
  }
  return `${seconds} s`;
}

function parseTime(iso: string | undefined): number | undefined {
  if (!iso) {
    return undefined;
  }
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** `just now`, `5 min ago`, `2 h ago`, `in 3 d`; `never` when there is no time. */
export function formatRelativeTime(
  iso: string | undefined,
  now: number,
): string {
  const t = parseTime(iso);
  if (t === undefined) {
    return 'never';
  }
  const delta = now - t;
  if (Math.abs(delta) < 10 * SECOND) {
    return 'just now';
  }
  const text = formatLargestUnit(Math.abs(delta));
  return delta > 0 ? `${text} ago` : `in ${text}`;
}

function formatLargestUnit(ms: number): string {
  if (ms >= DAY) return `${Math.floor(ms / DAY)} d`;
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} h`;
  if (ms >= MINUTE) return `${Math.floor(ms / MINUTE)} min`;
  return `${Math.floor(ms / SECOND)} s`;
}

/** An absolute time for tooltips, in the browser's locale; `—` when unknown. */
export function formatTimestamp(iso: string | undefined): string {
  const t = parseTime(iso);
  return t === undefined ? '—' : new Date(t).toLocaleString();
}

/** What is left of an environment's TTL. */
export interface TtlLeft {
  /** Human text: `3 h 10 min left`, `expired`, `no TTL`. */
  text: string;
  expired: boolean;
  /** Milliseconds left, when there is an expiry. */
  ms?: number;
}

/** TTL left until `expiresAt`. An environment without expiry lives until deleted. */
export function ttlLeft(expiresAt: string | undefined, now: number): TtlLeft {
  const t = parseTime(expiresAt);
  if (t === undefined) {
    return { text: 'no TTL', expired: false };
  }
  const ms = t - now;
  if (ms <= 0) {
    return { text: 'expired', expired: true, ms: 0 };
  }
  return { text: `${formatDuration(ms)} left`, expired: false, ms };
}

/** `1,234` in the browser's locale; counts on summary cards get large. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
