/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createApiRef } from '@backstage/core-plugin-api';
import type { MulticlusterApi } from '@archipelago/multicluster-common';

/**
 * The multicluster REST API as a Backstage utility API. The plugin registers
 * `MulticlusterClient` for it in both frontend systems; apps may override it.
 * @public
 */
export const multiclusterApiRef = createApiRef<MulticlusterApi>({
  id: 'plugin.multicluster.api',
});
