/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { ConfigReader } from '@backstage/config';
import {
  type ClusterProvider,
  multiclusterProvidersExtensionPoint,
} from '@archipelago/multicluster-node';
import { multiclusterModuleGcp } from './module';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

async function start(data: JsonObject) {
  const providers: ClusterProvider[] = [];
  const backend = await startTestBackend({
    extensionPoints: [
      [
        multiclusterProvidersExtensionPoint,
        {
          addClusterProvider: (...p: ClusterProvider[]) => providers.push(...p),
        },
      ],
    ],
    features: [
      multiclusterModuleGcp,
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return { backend, providers };
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
    const { backend, providers } = await start({});
    expect(providers).toEqual([]);
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
