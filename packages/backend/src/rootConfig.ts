/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigSources } from '@backstage/config-loader';
import { assertStartable } from './productionChecks';

/**
 * Backstage's root config (the same sources: `--config` files, APP_CONFIG_*
 * variables), checked before anything else starts: a missing production
 * secret stops the backend with a message naming the variable, before a
 * database connection or a plugin fails on it less clearly.
 */
export const checkedRootConfigServiceFactory = createServiceFactory({
  service: coreServices.rootConfig,
  deps: {},
  async factory() {
    const source = ConfigSources.default({});
    console.log(`Loading config from ${source}`);
    const config = await ConfigSources.toConfig(source);
    assertStartable(config);
    return config;
  },
});
