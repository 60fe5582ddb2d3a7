/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export {
  EntityWorkloadsCard,
  WORKLOADS_CARD_TITLE,
} from './EntityWorkloadsCard';
