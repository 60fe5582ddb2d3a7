/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';

/**
 * How a big inventory is fed to the catalog, under
 * `catalog.providers.multicluster.ingestion`.
 * @public
 */
export const ingestionConfigSchema = z
  .object({
    /** Entities per delta mutation, i.e. per catalog transaction (default 500). */
    batchSize: z.number().int().min(1).max(5000).default(500),
    /**
     * New entities published per round at most (default: all). Changes to
     * published entities always go; new ones beyond this wait for the next
     * round, so the catalog's processing queue never holds more than this.
     */
    maxNewPerRound: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** The parsed `catalog.providers.multicluster.ingestion`. @public */
export type IngestionConfig = z.output<typeof ingestionConfigSchema>;
