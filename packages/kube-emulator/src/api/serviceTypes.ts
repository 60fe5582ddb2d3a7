/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import type { KubeObject } from '../store/store';
import type { FieldRequirement, LabelSelector } from '../store/selectors';
import type { ResourceDef } from './resources';

// What the registry's callers pass and get back.

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Who writes, and how: what the request's query parameters and headers say. */
export interface WriteContext {
  /** managedFields manager name (fieldManager param, or derived from the User-Agent). */
  manager: string;
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Warnings for the response's Warning headers. */
  warnings?: string[];
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ListQuery {
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldRequirement[];
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** Cluster-specific admission, supplied by the cluster (IP allocation, pod placement). */
export interface AdmissionHooks {
  /** Called on create and update, after defaulting, before validation. */
  admit?(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined): void;
}
