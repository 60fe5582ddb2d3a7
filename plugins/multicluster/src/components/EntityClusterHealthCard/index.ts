/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export {
  EntityClusterHealthCard,
  CLUSTER_HEALTH_CARD_TITLE,
} from './EntityClusterHealthCard';
export type { EntityClusterHealthCardProps } from './EntityClusterHealthCard';
