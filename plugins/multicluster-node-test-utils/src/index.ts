/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Test utilities for the multicluster plugin and its modules: fake component
 * drivers, a test module that adds them to the real plugin through the
 * extension points, a capture of what a module contributes, a harness over
 * the REST API, and a jest global setup that runs every database test on
 * embedded PostgreSQL too (see the README).
 *
 * @packageDocumentation
 */
export {
  FakeComponentDriver,
  FAKE_SECRET_KEY,
  defaultCapabilities,
  fakeComponentDrivers,
  fakeEnvironmentsConfig,
} from './fakeDrivers';
export { capturingLogger, capturingLoggerFactory } from './logger';
export { waitFor } from './waitFor';
export {
  captureMulticlusterContributions,
  createMulticlusterTestModule,
  type MulticlusterContributions,
} from './modules';
export { multiclusterApi, type ApiResponse } from './environmentsApi';
export { TEST_DATABASE_IDS } from './databases';
export { actorAwareMockAuth, actorAwareMockAuthFactory } from './auth';
export { catalogWithOwners } from './catalog';
