/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * The cloud modules, each loaded only when its config section is set: they are
 * inert without one, but loading the cloud SDKs costs about 50 MB of memory and
 * 3 s of startup (AWS 35 MB, Azure 17 MB) that a portal without those clouds
 * should not pay.
 */
export default createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    const uses = (cloud: string) =>
      config.has(`multicluster.providers.${cloud}`) ||
      config.has(`multicluster.environments.${cloud}`);
    if (uses('aws')) {
      yield import('@archipelago/multicluster-backend-module-aws');
    }
    if (uses('azure')) {
      yield import('@archipelago/multicluster-backend-module-azure');
    }
    if (uses('gcp')) {
      yield import('@archipelago/multicluster-backend-module-gcp');
    }
  },
});
