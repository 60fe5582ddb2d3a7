/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * `EnvironmentTypePicker` returns one object, `{ type, cloud }`, rather than
 * two fields: the pair is only valid together (not every type exists on every
 * cloud), so one field can offer only pairs that exist and validate them as
 * one. Templates read `parameters.<field>.type` and `.cloud`.
 * @public
 */
export const EnvironmentTypePickerFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      type: z.string().describe('Environment type, e.g. dev-small'),
      cloud: z.string().describe('Cloud, e.g. local, aws, azure, gcp'),
    }),
  uiOptions: z =>
    z.object({
      types: z
        .array(z.string())
        .optional()
        .describe('Offer only these environment types (default: all)'),
      clouds: z
        .array(z.string())
        .optional()
        .describe('Offer only these clouds (default: all)'),
    }),
});

/** The value EnvironmentTypePicker gives the template: `{ type, cloud }`. @public */
export type EnvironmentTypePickerValue =
  typeof EnvironmentTypePickerFieldSchema.TOutput;
/** `ui:options` of EnvironmentTypePicker. @public */
export interface EnvironmentTypePickerUiOptions {
  /** Offer only these environment types (default: all). */
  types?: string[];
  /** Offer only these clouds (default: all). */
  clouds?: string[];
}

/**
 * `ClusterPicker` returns a Kubernetes label selector string, validated with
 * the backend's parser and previewed against the inventory.
 * @public
 */
export const ClusterPickerFieldSchema = makeFieldSchema({
  output: z =>
    z
      .string()
      .describe('Kubernetes label selector, e.g. env=prod,cloud in (aws,gcp)'),
  uiOptions: z =>
    z.object({
      requireMatch: z
        .boolean()
        .optional()
        .describe('Reject a selector that matches no cluster (default false)'),
    }),
});

/** `ui:options` of ClusterPicker. @public */
export interface ClusterPickerUiOptions {
  /** Reject a selector that matches no cluster (default false). */
  requireMatch?: boolean;
}

/** The registered field names (`ui:field` in templates). */
export const ENVIRONMENT_TYPE_PICKER = 'EnvironmentTypePicker';
export const CLUSTER_PICKER = 'ClusterPicker';
