/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Publishes Archipelago clusters as catalog Resource entities.
 *
 * @packageDocumentation
 */
export { catalogModuleMulticluster as default } from './module';
export { MulticlusterEntityProvider } from './MulticlusterEntityProvider';
export {
  clusterToEntity,
  sanitiseLabels,
  sanitiseLabelKey,
  sanitiseLabelValue,
  ownerOf,
  type ClusterEntityOptions,
} from './entities';
export { planDelta, type KeyedEntity, type PublishedEntities } from './delta';
export { planBatches, recordBatch, type DeltaBatch } from './batches';
export { ingestionConfigSchema, type IngestionConfig } from './config';
