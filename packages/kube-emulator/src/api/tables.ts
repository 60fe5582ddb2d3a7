/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import type { KubeObject } from '../store/store';
import type { ResourceDef } from './resources';
import { CLUSTER_PRINTERS } from './printers/cluster';
import { col, NAME, type Printer } from './printers/columns';
import { NETWORK_PRINTERS } from './printers/network';
import { WORKLOAD_PRINTERS } from './printers/workloads';

// The columns of each kind, by family, as the real API server prints them.
const PRINTERS: Record<string, Printer> = {
  ...WORKLOAD_PRINTERS,
  ...CLUSTER_PRINTERS,
  ...NETWORK_PRINTERS,
};

const DEFAULT_PRINTER: Printer = {
  columns: [
    NAME,
    col(
      'Created At',
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
      0,
      'date',
    ),
  ],
  cells: o => [o.metadata.name!, o.metadata.creationTimestamp ?? ''],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject) {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: obj.metadata,
  };
}

/** Renders objects as a meta.k8s.io/v1 Table with the columns the real server prints. */
export function toTable(
  def: ResourceDef,
  items: KubeObject[],
  options: {
    include: IncludeObject;
    resourceVersion?: string;
    continueToken?: string;
    remainingItemCount?: number;
    noHeaders?: boolean;
  },
): Record<string, unknown> {
  const printer = PRINTERS[def.kind] ?? DEFAULT_PRINTER;
  const now = Date.now();
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion)
    metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined)
    metadata.remainingItemCount = options.remainingItemCount;
  const table: Record<string, unknown> = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? null : printer.columns,
    rows: items.map(obj => {
      const row: Record<string, unknown> = { cells: printer.cells(obj, now) };
      const o = rowObject(obj, options.include);
      if (o) row.object = o;
      return row;
    }),
  };
  return table;
}
