/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { captureMulticlusterContributions } from '@archipelago/multicluster-node-test-utils';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { multiclusterModuleGcp } from './module';

async function start(data: JsonObject) {
  const captured = captureMulticlusterContributions();
  const backend = await startTestBackend({
    extensionPoints: captured.extensionPoints,
    features: [
      multiclusterModuleGcp,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, ...captured };
}

describe('multiclusterModuleGcp', () => {
  it('adds one GKE provider per configured entry and closes it on shutdown', async () => {
    const { backend, providers } = await start({
      multicluster: {
        providers: {
          gcp: {
            prod: { projects: ['proj-prod'] },
            dev: { projects: ['proj-dev'] },
          },
        },
      },
    });
    expect(providers.map(p => p.getProviderId())).toEqual([
      'gcp-gke:prod',
      'gcp-gke:dev',
    ]);
    await backend.stop();
  });

  it('adds nothing without config', async () => {
    const { backend, providers, drivers } = await start({});
    expect(providers).toEqual([]);
    expect(drivers).toEqual([]);
    await backend.stop();
  });

  it('adds the GCP drivers, their templates and the production mapping when multicluster.environments.gcp is set', async () => {
    const { backend, drivers, templates, mappings } = await start({
      multicluster: {
        environments: {
          gcp: { projectId: 'archi-test-project', region: 'europe-west1' },
        },
      },
    });
    expect(drivers.map(d => d.id)).toEqual([
      'gcp-vpc',
      'gcp-gke',
      'gcp-cloudsql-postgres',
      'gcp-gcs-bucket',
    ]);
    expect(Object.keys(templates).sort()).toEqual([
      'cloudsql-postgres-production',
      'gcp-vpc-production',
      'gcs-bucket-versioned',
      'gke-production',
    ]);
    expect(Object.keys(mappings.gcp)).toEqual(['production']);
    await backend.stop();
  });

  it('refuses to start with invalid config, naming the key', async () => {
    await expect(
      start({
        multicluster: { providers: { gcp: { prod: { projects: ['X'] } } } },
      }),
    ).rejects.toThrow('multicluster.providers.gcp.prod.projects[0].projectId');
  });
});
