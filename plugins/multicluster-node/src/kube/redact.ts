/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** What a secret value is replaced with. @public */
export const REDACTED = '[REDACTED]';

/** Where `kubectl apply` (client-side) stores the last manifest it applied, a Secret's data included. @public */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Marks a Secret whose data was removed by {@link withoutSecretData}. @public */
export const SECRET_DATA_REMOVED = 'x-archipelago-data-removed';

/** Shorter values are not searched for: they would mangle every message and are no real secret. */
const MIN_SECRET_LENGTH = 4;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a core/v1 Secret. @public */
export function isSecret(object: unknown): boolean {
  return (
    isRecord(object) && object.kind === 'Secret' && object.apiVersion === 'v1'
  );
}

/**
 * Every value a Secret manifest carries, in each form it could surface in a
 * message: the base64 text of `data`, its decoded text, `stringData`, and the
 * lines of multi-line values (a PEM key echoed in part).
 * @public
 */
export function secretValues(objects: unknown[]): string[] {
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== 'string') return;
    values.add(value);
    if (value.includes('\n')) {
      for (const line of value.split(/\r?\n/))
        if (line.trim().length >= 8) values.add(line.trim());
    }
  };
  const collect = (secret: Record<string, unknown>, depth: number) => {
    for (const value of Object.values(
      isRecord(secret.data) ? secret.data : {},
    )) {
      add(value);
      if (typeof value === 'string')
        add(Buffer.from(value, 'base64').toString('utf8'));
    }
    for (const value of Object.values(
      isRecord(secret.stringData) ? secret.stringData : {},
    ))
      add(value);
    // `kubectl apply` keeps the whole manifest, data included, in an annotation.
    const lastApplied = lastAppliedOf(secret);
    if (lastApplied && depth === 0) {
      try {
        const parsed = JSON.parse(lastApplied);
        if (isRecord(parsed)) collect(parsed, depth + 1);
      } catch {
        add(lastApplied);
      }
    }
  };
  for (const object of objects) {
    if (isSecret(object)) collect(object as Record<string, unknown>, 0);
  }
  return [...values].filter(v => v.length >= MIN_SECRET_LENGTH);
}

/**
 * Removes known secret values from text bound for a log line, an output or an
 * error message. Longest first, so a value that contains another goes whole.
 * @public
 */
export class Redactor {
  private values: string[] = [];

  constructor(values: Iterable<string> = []) {
    this.add(values);
  }

  /** Adds values, e.g. those of Secrets read back from a cluster. */
  add(values: Iterable<string>): void {
    const all = new Set([...this.values, ...values]);
    this.values = [...all]
      .filter(v => v.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  /** The text with every known secret value replaced by `REDACTED`. */
  redact(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out;
  }
}

/**
 * A copy of an object fit for storage outside the cluster (task checkpoints):
 * a Secret keeps its identity and metadata but loses `data` and `stringData`.
 * @public
 */
export function withoutSecretData<T>(object: T): T {
  if (!isSecret(object)) return object;
  const {
    data: _data,
    stringData: _stringData,
    metadata,
    ...rest
  } = object as Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest, [SECRET_DATA_REMOVED]: true };
  if (isRecord(metadata)) {
    const { annotations, ...meta } = metadata;
    out.metadata = meta;
    if (isRecord(annotations)) {
      const { [LAST_APPLIED]: _lastApplied, ...kept } = annotations;
      if (Object.keys(kept).length) meta.annotations = kept;
    }
  }
  return out as T;
}

function lastAppliedOf(object: Record<string, unknown>): string | undefined {
  const metadata = object.metadata;
  if (!isRecord(metadata) || !isRecord(metadata.annotations)) return undefined;
  const value = metadata.annotations[LAST_APPLIED];
  return typeof value === 'string' ? value : undefined;
}

/** Whether an object is a Secret whose data was removed before it was stored. @public */
export function hasSecretDataRemoved(object: unknown): boolean {
  return isRecord(object) && object[SECRET_DATA_REMOVED] === true;
}
