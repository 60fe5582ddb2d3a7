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
        id: 'workload',
        action: 'multicluster:workload:apply',
        name: 'Keep the workload placed',
        input,
      },
    ],
  });

const deployment = (image: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  labels: { backstage.io/kubernetes-id: web }',
    'spec:',
    '  selector: { matchLabels: { app: web } }',
    '  template:',
    '    metadata: { labels: { app: web, backstage.io/kubernetes-id: web } }',
    `    spec: { containers: [{ name: web, image: "${image}" }] }`,
    '',
  ].join('\n');

/** Examples shown in the scaffolder's action reference; every one runs through the handler in a test. @internal */
export const workloadApplyExamples: TemplateExample[] = [
  {
    description:
      '12 replicas over the production clusters, moved off a cluster that is down for two minutes, rolled out two clusters at a time',
    example: step({
      name: 'web',
      owner: 'group:default/team-a',
      entityRef: 'component:default/web',
      namespace: 'shop',
      manifests: deployment('nginx:1.27'),
      placement: { clusterSelector: 'env=production' },
      replicas: {
        totalReplicas: 12,
        preferences: { '*': { weight: 1 } },
        rebalance: true,
      },
      rollout: {
        maxConcurrent: 2,
        maxFailures: 1,
        soakSeconds: 30,
        timeoutSeconds: 300,
      },
      failover: { graceSeconds: 120 },
    }),
  },
  {
    description:
      'Named clusters, a per-cluster image override, objects left in place on a cluster that leaves the placement, no waiting',
    example: step({
      name: 'api',
      owner: 'group:default/team-a',
      namespace: 'shop',
      manifests: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'api-settings' },
          data: { LOG_LEVEL: 'info' },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'api' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'api' } },
            template: {
              metadata: { labels: { app: 'api' } },
              spec: { containers: [{ name: 'api', image: 'acme/api:3.1' }] },
            },
          },
        },
      ],
      placement: { clusterNames: ['eu-prod-1', 'us-prod-1'] },
      overrides: [
        {
          clusterName: 'us-prod-1',
          kind: 'Deployment',
          name: 'api',
          patches: [
            {
              op: 'replace',
              path: '/spec/template/spec/containers/0/image',
              value: 'acme/api:3.1-us',
            },
          ],
        },
      ],
      onClusterRemoved: 'orphan',
      wait: false,
    }),
  },
  {
    description:
      'Manifests from the workspace (fetched by an earlier step), everywhere but one cluster',
    example: step({
      name: 'worker',
      owner: 'group:default/team-b',
      namespace: 'jobs',
      manifestsPath: 'k8s',
      placement: { clusterSelector: '', exclude: ['legacy-1'] },
      timeoutMinutes: 30,
    }),
  },
];
