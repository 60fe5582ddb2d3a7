/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { parseWorkloadRequest } from '@archipelago/multicluster-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readWorkloadFiles } from './exampleWorkloads';

describe('readWorkloadFiles', () => {
  it('reads the example workloads of the repository, each a valid workload', () => {
    const workloads = readWorkloadFiles(
      path.resolve(__dirname, '../../../../examples/workloads'),
    );
    expect(workloads.map(w => [w.name, w.entityRef])).toEqual([
      ['catalog-web', 'component:default/catalog-web'],
      ['checkout', 'component:default/checkout'],
    ]);
    for (const w of workloads)
      expect(() => parseWorkloadRequest(w)).not.toThrow();
  });

  it('names the file of invalid YAML, and a folder it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-wl-files-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.yaml'), 'name: [');
      expect(() => readWorkloadFiles(dir)).toThrow(/bad.yaml: invalid YAML/);
      expect(() => readWorkloadFiles(path.join(dir, 'none'))).toThrow(
        /^multicluster.providers.emulator.workloadsDirectory: cannot read/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
