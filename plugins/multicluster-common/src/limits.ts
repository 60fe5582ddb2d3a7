/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import {
  formatLabelSelector,
  LABEL_SELECTOR_SYNTAX,
  type LabelSelector,
  LabelSelectorError,
  parseLabelSelector,
  validateLabelSelector,
} from './labelSelector';

/**
 * Bounds on what one request may ask of the multicluster plugin, from
 * `multicluster.limits` in app-config. Checked before any work: over a limit
 * is a 400 (413 for a body) naming the limit and its value.
 * @public
 */
export interface MulticlusterLimits {
  /** Characters of a label selector (default 2,000). */
  selectorLength: number;
  /** Requirements of a label selector (default 100). */
  selectorRequirements: number;
  /** Bytes of a JSON request body (default 100 KiB). */
  requestBodyBytes: number;
  /** Nesting of objects and arrays in a JSON request body (default 32). */
  requestBodyDepth: number;
  /** Bytes of a deploy's manifests, YAML text or objects (default 2 MiB). */
  manifestsBytes: number;
  /** Objects in a deploy's manifests (default 1,000). */
  manifestsObjects: number;
  /** Bytes of one manifest object, as a real API server allows (default 1 MiB). */
  manifestObjectBytes: number;
}

/** The defaults of `multicluster.limits`. @public */
export const DEFAULT_MULTICLUSTER_LIMITS: Readonly<MulticlusterLimits> =
  Object.freeze({
    selectorLength: 2000,
    selectorRequirements: 100,
    requestBodyBytes: 100 * 1024,
    requestBodyDepth: 32,
    manifestsBytes: 2 * 1024 * 1024,
    manifestsObjects: 1000,
    manifestObjectBytes: 1024 * 1024,
  });

/** Hard upper bounds: config may lower a limit freely, raise it only this far. */
const CEILINGS: Record<keyof MulticlusterLimits, number> = {
  selectorLength: 10000,
  selectorRequirements: 500,
  requestBodyBytes: 16 * 1024 * 1024,
  requestBodyDepth: 256,
  manifestsBytes: 64 * 1024 * 1024,
  manifestsObjects: 20000,
  manifestObjectBytes: 3 * 1024 * 1024,
};

/** The config key of a limit, as messages name it. @public */
export function limitKey(name: keyof MulticlusterLimits): string {
  return `multicluster.limits.${name}`;
}

/**
 * Reads `multicluster.limits` (a Backstage Config, declared structurally);
 * missing keys take the defaults. Throws naming the key when a value is not a
 * whole number from 1 to its ceiling, so a bad config fails at startup.
 * @public
 */
export function readMulticlusterLimits(config: {
  getOptionalNumber(key: string): number | undefined;
}): MulticlusterLimits {
  const out = { ...DEFAULT_MULTICLUSTER_LIMITS };
  for (const name of Object.keys(CEILINGS) as Array<keyof MulticlusterLimits>) {
    const value = config.getOptionalNumber(limitKey(name));
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > CEILINGS[name]) {
      throw new Error(
        `${limitKey(name)} must be a whole number from 1 to ${CEILINGS[name]}`,
      );
    }
    out[name] = value;
  }
  return out;
}

/** Requirements of a selector: each matchLabels entry and each expression. @public */
export function countSelectorRequirements(selector: LabelSelector): number {
  return (
    Object.keys(selector.matchLabels ?? {}).length +
    (selector.matchExpressions?.length ?? 0)
  );
}

/**
 * Parses a label selector (text or object form) from untrusted input within
 * the limits: length first (before parsing), then syntax, then the number of
 * requirements. Throws an InputError whose message starts with `field` and
 * names the limit, its value and, for syntax errors, the allowed syntax.
 * @public
 */
export function parseBoundedSelector(
  selector: string | LabelSelector,
  limits: Pick<MulticlusterLimits, 'selectorLength' | 'selectorRequirements'>,
  field = 'selector',
): LabelSelector {
  const tooLong = (length: number) =>
    new InputError(
      `${field}: ${length} characters is over the limit of ${
        limits.selectorLength
      } (${limitKey('selectorLength')})`,
    );
  if (typeof selector === 'string' && selector.length > limits.selectorLength)
    throw tooLong(selector.length);
  let parsed: LabelSelector;
  try {
    parsed =
      typeof selector === 'string'
        ? parseLabelSelector(selector)
        : validateLabelSelector(selector);
  } catch (error) {
    if (!(error instanceof LabelSelectorError)) throw error;
    const detail = error.message.replace(/^Invalid label selector:\s*/, '');
    throw new InputError(
      `${field}: ${detail}${
        detail.includes('Allowed syntax')
          ? ''
          : `. Allowed syntax: ${LABEL_SELECTOR_SYNTAX}`
      }`,
    );
  }
  if (typeof selector !== 'string') {
    const length = formatLabelSelector(parsed).length;
    if (length > limits.selectorLength) throw tooLong(length);
  }
  const count = countSelectorRequirements(parsed);
  if (count > limits.selectorRequirements) {
    throw new InputError(
      `${field}: ${count} requirements is over the limit of ${
        limits.selectorRequirements
      } (${limitKey('selectorRequirements')})`,
    );
  }
  return parsed;
}
