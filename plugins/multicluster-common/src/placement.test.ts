/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import { LabelSelectorError } from './labelSelector';
import {
  parsePlacement,
  Placement,
  PlacementCandidate,
  PlacementExclusionReason,
  selectClusters,
} from './placement';

const fleet: PlacementCandidate[] = [
  { name: 'eu-prod', labels: { env: 'prod', region: 'eu' }, health: 'healthy' },
  {
    name: 'us-prod',
    labels: { env: 'prod', region: 'us' },
    health: 'degraded',
  },
  { name: 'eu-dev', labels: { env: 'dev', region: 'eu' }, health: 'healthy' },
  {
    name: 'lost',
    labels: { env: 'prod', region: 'ap' },
    health: 'unreachable',
  },
  {
    name: 'locked',
    labels: { env: 'prod', region: 'ap' },
    health: 'unauthorized',
  },
  { name: 'fresh', labels: { env: 'prod' } },
];

type Reasons = Record<string, PlacementExclusionReason>;

describe('selectClusters', () => {
  it.each<[string, Placement, string[], Reasons]>([
    [
      'no clusterNames and no selector selects nothing (as KubeFed)',
      {},
      [],
      {
        'eu-prod': 'no-placement',
        'us-prod': 'no-placement',
        'eu-dev': 'no-placement',
        lost: 'no-placement',
        locked: 'no-placement',
        fresh: 'no-placement',
      },
    ],
    [
      'an empty selector selects every usable cluster',
      { clusterSelector: {} },
      ['eu-prod', 'us-prod', 'eu-dev', 'fresh'],
      { lost: 'unreachable', locked: 'unauthorized' },
    ],
    [
      'an empty selector string too',
      { clusterSelector: '' },
      ['eu-prod', 'us-prod', 'eu-dev', 'fresh'],
      { lost: 'unreachable', locked: 'unauthorized' },
    ],
    [
      'a string selector',
      { clusterSelector: 'env=prod,region in (eu,us)' },
      ['eu-prod', 'us-prod'],
      {
        'eu-dev': 'selector-mismatch',
        lost: 'selector-mismatch',
        locked: 'selector-mismatch',
        fresh: 'selector-mismatch',
      },
    ],
    [
      'an object selector',
      { clusterSelector: { matchLabels: { region: 'eu' } } },
      ['eu-prod', 'eu-dev'],
      {
        'us-prod': 'selector-mismatch',
        lost: 'selector-mismatch',
        locked: 'selector-mismatch',
        fresh: 'selector-mismatch',
      },
    ],
    [
      'clusterNames win over the selector',
      { clusterNames: ['eu-dev', 'us-prod'], clusterSelector: 'env=prod' },
      ['us-prod', 'eu-dev'],
      {
        'eu-prod': 'not-in-clusterNames',
        lost: 'not-in-clusterNames',
        locked: 'not-in-clusterNames',
        fresh: 'not-in-clusterNames',
      },
    ],
    [
      'an empty clusterNames list defers to the selector',
      { clusterNames: [], clusterSelector: 'env=dev' },
      ['eu-dev'],
      {
        'eu-prod': 'selector-mismatch',
        'us-prod': 'selector-mismatch',
        lost: 'selector-mismatch',
        locked: 'selector-mismatch',
        fresh: 'selector-mismatch',
      },
    ],
    [
      'exclude removes matched clusters',
      { clusterSelector: 'env=prod', exclude: ['us-prod', 'not-a-cluster'] },
      ['eu-prod', 'fresh'],
      {
        'us-prod': 'in-exclude',
        'eu-dev': 'selector-mismatch',
        lost: 'unreachable',
        locked: 'unauthorized',
      },
    ],
    [
      'exclude applies to clusterNames too',
      { clusterNames: ['eu-prod', 'us-prod'], exclude: ['eu-prod'] },
      ['us-prod'],
      {
        'eu-prod': 'in-exclude',
        'eu-dev': 'not-in-clusterNames',
        lost: 'not-in-clusterNames',
        locked: 'not-in-clusterNames',
        fresh: 'not-in-clusterNames',
      },
    ],
    [
      'includeUnreachable keeps unreachable and unauthorized clusters',
      { clusterSelector: 'region=ap', includeUnreachable: true },
      ['lost', 'locked'],
      {
        'eu-prod': 'selector-mismatch',
        'us-prod': 'selector-mismatch',
        'eu-dev': 'selector-mismatch',
        fresh: 'selector-mismatch',
      },
    ],
    [
      'unknown names in clusterNames are reported',
      { clusterNames: ['eu-prod', 'ghost', 'ghost'] },
      ['eu-prod'],
      {
        'us-prod': 'not-in-clusterNames',
        'eu-dev': 'not-in-clusterNames',
        lost: 'not-in-clusterNames',
        locked: 'not-in-clusterNames',
        fresh: 'not-in-clusterNames',
        ghost: 'unknown-cluster',
      },
    ],
    [
      'named unreachable clusters are still skipped by default',
      { clusterNames: ['lost'] },
      [],
      {
        'eu-prod': 'not-in-clusterNames',
        'us-prod': 'not-in-clusterNames',
        'eu-dev': 'not-in-clusterNames',
        lost: 'unreachable',
        locked: 'not-in-clusterNames',
        fresh: 'not-in-clusterNames',
      },
    ],
  ])('%s', (_name, placement, selected, reasons) => {
    const result = selectClusters(placement, fleet);
    expect(result.selected).toEqual(selected);
    expect(
      Object.fromEntries(result.excluded.map(e => [e.cluster, e.reason])),
    ).toEqual(reasons);
    // Each left-out cluster appears once, with a message for people.
    expect(new Set(result.excluded.map(e => e.cluster)).size).toBe(
      result.excluded.length,
    );
    for (const e of result.excluded) {
      expect(e.message).toContain(
        e.reason === 'no-placement' ? 'clusterSelector' : e.cluster,
      );
    }
  });

  it('explains each reason', () => {
    const { excluded } = selectClusters(
      { clusterSelector: 'env=prod', exclude: ['eu-prod'] },
      fleet,
    );
    const byName = Object.fromEntries(
      excluded.map(e => [e.cluster, e.message]),
    );
    expect(byName['eu-prod']).toBe('Cluster "eu-prod" is listed in exclude');
    expect(byName['eu-dev']).toBe(
      'Cluster "eu-dev" labels do not match the selector "env=prod"',
    );
    expect(byName.lost).toBe(
      'Cluster "lost" is unreachable; set includeUnreachable to place on it anyway',
    );
    expect(
      selectClusters({ clusterNames: ['ghost'] }, fleet).excluded.find(
        e => e.cluster === 'ghost',
      ),
    ).toEqual({
      cluster: 'ghost',
      reason: 'unknown-cluster',
      message: 'Cluster "ghost" named in clusterNames is not in the inventory',
    });
  });

  it('ignores duplicate candidates', () => {
    expect(
      selectClusters({ clusterSelector: '' }, [
        { name: 'a' },
        { name: 'a', labels: { x: 'y' } },
      ]),
    ).toEqual({ selected: ['a'], excluded: [] });
  });

  it('throws LabelSelectorError for an invalid selector', () => {
    expect(() =>
      selectClusters({ clusterSelector: 'env in ()' }, fleet),
    ).toThrow(LabelSelectorError);
  });
});

describe('parsePlacement', () => {
  it('accepts a valid placement', () => {
    const placement = {
      clusterNames: ['a'],
      clusterSelector: { matchLabels: { env: 'prod' } },
      exclude: ['b'],
      includeUnreachable: false,
    };
    expect(parsePlacement(placement)).toEqual(placement);
    expect(parsePlacement({ clusterSelector: 'env=prod' })).toEqual({
      clusterSelector: 'env=prod',
    });
  });

  it.each<[unknown, string]>([
    [
      { clusterNames: 'a' },
      'clusterNames: clusterNames must be a list of cluster names',
    ],
    [
      { clusterNames: [''] },
      'clusterNames.0: clusterNames must not hold an empty cluster name',
    ],
    [{ exclude: [1] }, 'exclude.0: exclude must hold cluster names (strings)'],
    [
      { clusterSelector: 'env in ()' },
      'clusterSelector: Invalid label selector "env in ()": the value set of \'in\' must not be empty',
    ],
    [
      { clusterSelector: 5 },
      'clusterSelector: clusterSelector must be a label-selector string or an object',
    ],
    [
      { clusterSelector: { matchLabels: { 'a b': 'c' } } },
      'clusterSelector.matchLabels.a b: invalid label key "a b"',
    ],
    [
      { includeUnreachable: 'yes' },
      'includeUnreachable: includeUnreachable must be true or false',
    ],
    [
      { clusterSelectors: '' },
      "Unrecognized key(s) in object: 'clusterSelectors'",
    ],
    [null, 'placement: Expected object, received null'],
  ])('rejects %j', (value, message) => {
    expect(() => parsePlacement(value)).toThrow(InputError);
    expect(() => parsePlacement(value)).toThrow(message);
  });
});
