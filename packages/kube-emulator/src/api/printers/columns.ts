/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// What every table printer shares: the column shape and the columns and
// cells most kinds print.

import type { KubeObject } from '../../store/store';
import { fromSelectorObject, formatSelector } from '../../store/selectors';
import { humanDuration } from '../../util';

/** A metav1.TableColumnDefinition. */
export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

export interface Printer {
  columns: Column[];
  cells(obj: KubeObject, now: number): Cell[];
}

export const col = (
  name: string,
  description: string,
  priority = 0,
  type = 'string',
  format = '',
): Column => ({
  name,
  type,
  format,
  description,
  priority,
});

export const NAME = col(
  'Name',
  'Name must be unique within a namespace.',
  0,
  'string',
  'name',
);
export const AGE = col(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);
export const CONTAINERS = col(
  'Containers',
  'Names of each container in the template.',
  1,
);
export const IMAGES = col(
  'Images',
  'Images referenced by each container in the template.',
  1,
);

export function age(obj: KubeObject, now: number): string {
  const t = Date.parse(obj.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? humanDuration(now - t) : '<unknown>';
}

export function since(ts: string | undefined, now: number): string {
  const t = Date.parse(ts ?? '');
  return Number.isFinite(t) ? humanDuration(now - t) : '<unknown>';
}

export function containers(spec: any): { names: string; images: string } {
  const list: any[] = spec?.containers ?? [];
  return {
    names: list.map(c => c.name).join(','),
    images: list.map(c => c.image).join(','),
  };
}

export function selectorString(selector: any): string {
  const s = formatSelector(fromSelectorObject(selector));
  return s || '<none>';
}
