/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** Configuration of the Archipelago example backend (packages/backend). */
export interface Config {
  archipelago?: {
    /**
     * Environment variables the configuration reads and cannot do without:
     * the backend refuses to start, naming each one, while any is unset or
     * empty (app-config.production.yaml lists its secrets and addresses).
     * @visibility backend
     */
    requiredEnvironment?: string[];
  };
}
