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
        id: 'deploy',
        action: 'multicluster:deploy',
        name: 'Deploy to clusters',
        input,
      },
    ],
  });

/** Examples shown in the scaffolder's action reference; each is checked against the input schema in tests. @internal */
export const deployExamples: TemplateExample[] = [
  {
    description:
      '30 replicas over the production clusters, twice as many in Europe, one cluster at a time',
    example: step({
      namespace: 'shop',
      manifests: [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  selector: { matchLabels: { app: web } }',
        '  template:',
        '    metadata: { labels: { app: web } }',
        '    spec: { containers: [{ name: web, image: "nginx:1.27" }] }',
        '',
      ].join('\n'),
      placement: { clusterSelector: 'env=prod' },
      replicas: {
        totalReplicas: 30,
        preferences: {
          '*': { weight: 1 },
          'eu-prod-1': { weight: 2 },
          'eu-prod-2': { weight: 2 },
        },
      },
      rollout: { maxConcurrent: 1, maxFailures: 0, timeoutSeconds: 300 },
      onFailure: 'rollback',
    }),
  },
  {
    description:
      'Manifests from the workspace (fetched by an earlier step), with a TLS Secret propagated to every cluster and a per-cluster image override',
    example: step({
      namespace: 'shop',
      manifestsPath: 'k8s',
      placement: { clusterNames: ['eu-prod-1', 'us-prod-1'] },
      overrides: [
        {
          clusterName: 'us-prod-1',
          kind: 'Deployment',
          name: 'web',
          patches: [
            {
              op: 'replace',
              path: '/spec/template/spec/containers/0/image',
              value: 'registry.us.example.com/web:1.4',
            },
          ],
        },
      ],
      rollout: {
        maxConcurrent: 2,
        maxFailures: 1,
        waitForReady: true,
        timeoutSeconds: 600,
      },
    }),
  },
  {
    description:
      'Every cluster but one, keeping what was applied when a cluster fails, with a custom field manager',
    example: step({
      namespace: 'batch',
      manifestsPath: 'deploy/worker.yaml',
      placement: { clusterSelector: '', exclude: ['lab-1'] },
      replicas: {
        totalReplicas: 12,
        preferences: { '*': { weight: 1, maxReplicas: 4 } },
        rebalance: true,
      },
      rollout: { maxConcurrent: 10, maxFailures: 2 },
      onFailure: 'keep',
      fieldManager: 'platform-team',
    }),
  },
];
