/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

const step = (input: Record<string, unknown>) =>
  yaml.stringify({
    steps: [
      {
        id: 'remove',
        action: 'multicluster:workload:delete',
        name: 'Remove the workload',
        input,
      },
    ],
  });

/** Examples shown in the scaffolder's action reference; every one runs through the handler in a test. @internal */
export const workloadDeleteExamples: TemplateExample[] = [
  {
    description:
      'Remove a workload from every cluster and wait until it is gone',
    example: step({ name: 'web' }),
  },
  {
    description: 'Start removing a preview workload without waiting',
    example: step({ name: 'preview-web', wait: false }),
  },
];
