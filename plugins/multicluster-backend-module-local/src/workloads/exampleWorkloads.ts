/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { WorkloadRequest } from '@archipelago/multicluster-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Reads workload bodies (YAML, one or more documents per file) from every
 * `.yaml`/`.yml` file of a folder, in name order. The multicluster plugin
 * validates each when it creates it; here only the YAML is checked, with
 * errors naming the file.
 * @public
 */
export function readWorkloadFiles(directory: string): WorkloadRequest[] {
  const dir = path.resolve(directory);
  let files: string[];
  try {
    files = fs
      .readdirSync(dir)
      .filter(f => /\.ya?ml$/.test(f))
      .sort();
  } catch (error) {
    throw new Error(
      `multicluster.providers.emulator.workloadsDirectory: cannot read ${dir}: ${
        (error as Error).message
      }`,
    );
  }
  const out: WorkloadRequest[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length)
        throw new Error(
          `${path.join(dir, file)}: invalid YAML (${doc.errors[0].code})`,
        );
      const value = doc.toJS({ maxAliasCount: 100 });
      if (value && typeof value === 'object')
        out.push(value as WorkloadRequest);
    }
  }
  return out;
}
