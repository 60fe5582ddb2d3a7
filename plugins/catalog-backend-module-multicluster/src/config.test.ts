/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { readModuleConfig } from '@archipelago/multicluster-node';
import { ingestionConfigSchema } from './config';

const read = (ingestion: Record<string, number>) =>
  readModuleConfig(
    new ConfigReader({
      catalog: { providers: { multicluster: { ingestion } } },
    }),
    'catalog.providers.multicluster.ingestion',
    ingestionConfigSchema,
  );

describe('catalog.providers.multicluster.ingestion', () => {
  it.each([
    [{}, { batchSize: 500 }],
    [
      { batchSize: 100, maxNewPerRound: 2000 },
      { batchSize: 100, maxNewPerRound: 2000 },
    ],
  ])('reads %j', (input, want) => {
    expect(read(input)).toEqual(want);
  });

  it.each([
    [{ batchSize: 0 }, /batchSize/],
    [{ batchSize: 10_000 }, /batchSize/],
    [{ batchSize: 1.5 }, /batchSize/],
    [{ maxNewPerRound: -1 }, /maxNewPerRound/],
    [{ batchsize: 10 }, /batchsize/],
  ])('refuses %j, naming the key', (input, message) => {
    expect(() => read(input)).toThrow(message);
  });
});
