/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { isProduction } from './productionChecks';

/**
 * The example portal's sign-in: guest for local use only (never in
 * production, whatever the config says), GitHub when `auth.providers.github`
 * is configured (app-config.production.yaml does). The frontend offers the
 * same choice (packages/app/src/modules/signIn).
 */
export default createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('auth.providers.guest') && !isProduction(config)) {
      yield import('@backstage/plugin-auth-backend-module-guest-provider');
    }
    if (config.has('auth.providers.github')) {
      yield import('@backstage/plugin-auth-backend-module-github-provider');
    }
  },
});
