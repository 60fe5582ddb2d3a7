/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ApiHolder } from '@backstage/core-plugin-api';
import type { EnvironmentTypeInfo } from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../api';
import { checkSelector } from '../lib/selector';

/** The slice of rjsf's FieldValidation the validators use. */
export interface ErrorCollector {
  addError(message: string): unknown;
}

/**
 * Why a `{ type, cloud }` pair cannot be used, or undefined. Pure, so the
 * rules are tested without a form.
 */
export function environmentTypeProblem(
  value: { type?: string; cloud?: string } | undefined,
  types: EnvironmentTypeInfo[] | undefined,
): string | undefined {
  if (!value?.type) {
    return 'Select an environment type';
  }
  if (!value.cloud) {
    return 'Select a cloud';
  }
  if (!types) {
    return undefined;
  }
  const type = types.find(t => t.type === value.type);
  if (!type) {
    return `Environment type "${value.type}" does not exist; available: ${
      types.map(t => t.type).join(', ') || 'none'
    }`;
  }
  if (!type.clouds.some(c => c.cloud === value.cloud)) {
    return `Environment type "${value.type}" is not available on cloud "${
      value.cloud
    }"; available clouds: ${
      type.clouds.map(c => c.cloud).join(', ') || 'none'
    }`;
  }
  return undefined;
}

/** Scaffolder validation of EnvironmentTypePicker: both halves set, and the pair exists. */
export async function validateEnvironmentType(
  value: { type?: string; cloud?: string } | undefined,
  validation: ErrorCollector,
  context: { apiHolder: ApiHolder },
): Promise<void> {
  // Check what needs no request first; the list is only fetched for a complete pair.
  const local = environmentTypeProblem(value, undefined);
  if (local) {
    validation.addError(local);
    return;
  }
  const api = context.apiHolder.get(multiclusterApiRef);
  if (!api) {
    return;
  }
  const problem = environmentTypeProblem(
    value,
    await api.listEnvironmentTypes(),
  );
  if (problem) {
    validation.addError(problem);
  }
}

/** Scaffolder validation of ClusterPicker: a parsable selector, matching a cluster if asked. */
export async function validateClusterSelector(
  value: string | undefined,
  validation: ErrorCollector,
  context: {
    apiHolder: ApiHolder;
    uiSchema?: { 'ui:options'?: { requireMatch?: boolean } };
  },
): Promise<void> {
  const check = checkSelector(value ?? '');
  if (!check.valid) {
    validation.addError(`Invalid label selector: ${check.message}`);
    return;
  }
  if (!context.uiSchema?.['ui:options']?.requireMatch) {
    return;
  }
  const api = context.apiHolder.get(multiclusterApiRef);
  if (!api) {
    return;
  }
  const page = await api.listClusters({ selector: check.text, limit: 1 });
  if (page.totalItems === 0) {
    validation.addError(`No cluster matches "${check.text}"`);
  }
}
