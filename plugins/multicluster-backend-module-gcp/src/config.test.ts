/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readGcpConfig } from './config';

const read = (gcp: unknown) =>
  readGcpConfig(
    new ConfigReader({ multicluster: { providers: { gcp } } } as any),
  );

describe('readGcpConfig', () => {
  it('returns no entries without config', () => {
    expect(readGcpConfig(new ConfigReader({}))).toEqual([]);
  });

  it('normalises projects and applies defaults', () => {
    expect(
      read({
        prod: {
          projects: [
            'my-project-1',
            {
              projectId: 'example.com:other-proj',
              locations: ['us-central1', 'europe-west1-b'],
            },
          ],
        },
      }),
    ).toEqual([
      {
        id: 'prod',
        projects: [
          { projectId: 'my-project-1', locations: ['-'] },
          {
            projectId: 'example.com:other-proj',
            locations: ['us-central1', 'europe-west1-b'],
          },
        ],
        credentials: undefined,
        endpoint: undefined,
        endpointType: 'public',
        kubernetesPluginAuthProvider: 'googleServiceAccount',
        labels: {},
      },
    ]);
  });

  it.each([
    [
      { prod: { projects: [] } },
      'multicluster.providers.gcp.prod.projects: list at least one project',
    ],
    [
      { prod: { projects: ['My_Project'] } },
      'multicluster.providers.gcp.prod.projects[0].projectId: must be a Google Cloud project id',
    ],
    [
      { prod: { projects: ['proj-a', 'proj-a'] } },
      'multicluster.providers.gcp.prod.projects[1].projectId: project proj-a is listed twice',
    ],
    [
      {
        prod: {
          projects: [{ projectId: 'proj-a', locations: ['us central'] }],
        },
      },
      'multicluster.providers.gcp.prod.projects[0].locations[0]: must be -, a region',
    ],
    [
      {
        prod: {
          projects: [{ projectId: 'proj-a', locations: ['-', 'us-east1'] }],
        },
      },
      'multicluster.providers.gcp.prod.projects[0].locations: - already means every location',
    ],
    [
      { prod: { projects: ['proj-a'], credentials: '{not json' } },
      'multicluster.providers.gcp.prod.credentials: must be a service account key or external account JSON document',
    ],
    [
      { prod: { projects: ['proj-a'], endpointType: 'dns' } },
      'multicluster.providers.gcp.prod.endpointType: Invalid enum value',
    ],
    [
      { prod: { projects: ['proj-a'], kubernetesPluginAuthProvider: 'aws' } },
      'multicluster.providers.gcp.prod.kubernetesPluginAuthProvider',
    ],
    [
      { prod: { projects: ['proj-a'], project: 'x' } },
      "multicluster.providers.gcp.prod: unknown key(s) 'project'",
    ],
  ])('rejects %j naming the key', (gcp, message) => {
    expect(() => read(gcp)).toThrow(message);
  });

  it('never echoes the credentials document', () => {
    const key =
      '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----secret"';
    let message = '';
    try {
      read({ prod: { projects: ['proj-a'], credentials: key } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('multicluster.providers.gcp.prod.credentials');
    expect(message).not.toContain('PRIVATE KEY');
  });
});
