/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  multicluster?: {
    /** Options of the multicluster scaffolder actions. */
    scaffolder?: {
      /**
       * Directory on the backend host where multicluster:environment:register-component
       * writes catalog-info.yaml files (one sub-directory per component) and registers
       * them as `file` locations. For portals without a git provider.
       */
      localCatalogDirectory?: string;
    };
  };
}
