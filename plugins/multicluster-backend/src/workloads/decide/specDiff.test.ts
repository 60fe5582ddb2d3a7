/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { normaliseManifests } from '@archipelago/multicluster-node';
import { diffManifests } from './specDiff';

const objects = (image: string, password: string, extra: object[] = []) =>
  normaliseManifests(
    [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db' },
        stringData: { password },
      },
      ...extra,
    ],
    'shop',
  );

describe('diffManifests', () => {
  it('names added, removed, changed and unchanged objects; Secret keys, never values', () => {
    const diff = diffManifests(
      objects('nginx:1.26', 'old-secret-value', [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone' } },
      ]),
      objects('nginx:1.27', 'new-secret-value', [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } },
      ]),
      'shop',
    );
    expect(diff).toEqual([
      {
        object: 'Secret shop/db',
        change: 'changed',
        fields: ['stringData.password'],
      },
      { object: 'Service shop/web', change: 'added' },
      {
        object: 'Deployment shop/web',
        change: 'changed',
        fields: ['spec.template.spec.containers[web].image'],
      },
      { object: 'ConfigMap shop/gone', change: 'removed' },
    ]);
    expect(JSON.stringify(diff)).not.toMatch(/secret-value/);
  });

  it('says unchanged when nothing changed', () => {
    expect(
      diffManifests(objects('a', 'b'), objects('a', 'b'), 'shop').map(
        d => d.change,
      ),
    ).toEqual(['unchanged', 'unchanged']);
  });
});
