/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Entity } from '@backstage/catalog-model';
import {
  entityRelationsRequest,
  environmentAnnotation,
  isEnvironmentAvailable,
  isMulticlusterAvailable,
} from './entity';

function entity(
  annotations?: Record<string, string>,
  namespace?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments', namespace, annotations },
    spec: {},
  };
}

describe('isMulticlusterAvailable', () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ 'backstage.io/source-location': 'url:x' }, false],
    [{ 'archipelago.dev/cluster-selector': 'env=prod' }, true],
    [{ 'archipelago.dev/cluster-selector': '   ' }, false],
    [{ 'backstage.io/kubernetes-cluster': 'prod-eu' }, true],
    [{ 'archipelago.dev/environment': 'pr-42' }, true],
  ])('%p → %p', (annotations, expected) => {
    expect(isMulticlusterAvailable(entity(annotations))).toBe(expected);
  });
});

describe('isEnvironmentAvailable', () => {
  it.each([
    [undefined, false],
    [{ 'archipelago.dev/cluster-selector': 'env=prod' }, false],
    [{ 'archipelago.dev/environment': '' }, false],
    [{ 'archipelago.dev/environment': 'pr-42' }, true],
  ])('%p → %p', (annotations, expected) => {
    expect(isEnvironmentAvailable(entity(annotations))).toBe(expected);
  });

  it('reads the trimmed environment name', () => {
    expect(
      environmentAnnotation(
        entity({ 'archipelago.dev/environment': ' pr-42 ' }),
      ),
    ).toBe('pr-42');
  });
});

describe('entityRelationsRequest', () => {
  it('lower-cases the kind and defaults the namespace', () => {
    expect(entityRelationsRequest(entity())).toEqual({
      kind: 'component',
      namespace: 'default',
      name: 'payments',
    });
    expect(entityRelationsRequest(entity(undefined, 'team-a')).namespace).toBe(
      'team-a',
    );
  });
});
