/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  capabilityContracts,
  COMPONENT_KINDS,
  ComponentKind,
  isSecretReference,
  secretCapabilities,
} from '@archipelago/multicluster-common';

/** What the UI may show of one capability. */
export type CapabilityDisplay =
  | { name: string; type: 'value'; text: string; copyText: string }
  /** A secret: shown as "stored secret", never with a value or a copy button. */
  | { name: string; type: 'secret' }
  /** A value of a shape the contract does not allow; not rendered. */
  | { name: string; type: 'unsupported' };

function isKnownKind(kind: string): kind is ComponentKind {
  return (COMPONENT_KINDS as readonly string[]).includes(kind);
}

/**
 * Decides how one capability is shown. A capability is a secret when the
 * server sent a reference, and also when the contract says it is one: if a
 * misbehaving backend ever sent a raw password, the browser still does not
 * render it.
 */
export function displayCapability(
  kind: string,
  name: string,
  value: unknown,
): CapabilityDisplay {
  const contractSecret =
    isKnownKind(kind) && secretCapabilities[kind].includes(name);
  if (contractSecret || isSecretReference(value)) {
    return { name, type: 'secret' };
  }
  if (typeof value === 'string') {
    return { name, type: 'value', text: value, copyText: value };
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return {
      name,
      type: 'value',
      text: String(value),
      copyText: String(value),
    };
  }
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
    // Comma-separated is what shells, Terraform variables and YAML flow lists accept.
    return {
      name,
      type: 'value',
      text: value.join(', '),
      copyText: value.join(','),
    };
  }
  return { name, type: 'unsupported' };
}

/**
 * Every capability of a component, in the order its kind's contract lists
 * them (endpoint before version…), then any others by name.
 */
export function displayCapabilities(
  kind: string,
  capabilities: Record<string, unknown>,
): CapabilityDisplay[] {
  const contractOrder = isKnownKind(kind)
    ? Object.keys(capabilityContracts[kind].shape)
    : [];
  const names = Object.keys(capabilities);
  const ordered = [
    ...contractOrder.filter(n => names.includes(n)),
    ...names.filter(n => !contractOrder.includes(n)).sort(),
  ];
  return ordered.map(n => displayCapability(kind, n, capabilities[n]));
}
