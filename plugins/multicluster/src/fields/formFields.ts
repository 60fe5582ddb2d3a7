/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ClusterPicker } from './ClusterPicker';
import { EnvironmentTypePicker } from './EnvironmentTypePicker';
import {
  CLUSTER_PICKER,
  ClusterPickerFieldSchema,
  ENVIRONMENT_TYPE_PICKER,
  EnvironmentTypePickerFieldSchema,
} from './schemas';
import { validateClusterSelector, validateEnvironmentType } from './validation';

// The new frontend system's form fields; loaded lazily by FormFieldBlueprint.

export const environmentTypePickerFormField = createFormField({
  name: ENVIRONMENT_TYPE_PICKER,
  component: EnvironmentTypePicker,
  validation: validateEnvironmentType,
  schema: EnvironmentTypePickerFieldSchema,
});

export const clusterPickerFormField = createFormField({
  name: CLUSTER_PICKER,
  component: ClusterPicker,
  validation: validateClusterSelector,
  schema: ClusterPickerFieldSchema,
});
