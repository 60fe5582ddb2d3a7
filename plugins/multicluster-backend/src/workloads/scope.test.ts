/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Cluster } from '@archipelago/multicluster-common';
import { createScopeCheck } from './scope';

const cluster = (labels: Record<string, string>) =>
  ({ id: 'c', name: 'c', labels } as unknown as Cluster);

const hasTeam = (value: string) => ({
  rule: 'HAS_LABEL',
  resourceType: 'multicluster-cluster',
  params: { key: 'team', value },
});

describe('createScopeCheck', () => {
  const inScope = createScopeCheck();
  it.each<[string, any, Record<string, string>, boolean]>([
    ['all', { all: true }, {}, true],
    [
      'a matching label',
      { all: false, criteria: hasTeam('a') },
      { team: 'a' },
      true,
    ],
    [
      'another team',
      { all: false, criteria: hasTeam('a') },
      { team: 'b' },
      false,
    ],
    [
      'anyOf',
      { all: false, criteria: { anyOf: [hasTeam('a'), hasTeam('b')] } },
      { team: 'b' },
      true,
    ],
    [
      'not',
      { all: false, criteria: { not: hasTeam('a') } },
      { team: 'a' },
      false,
    ],
    [
      'a rule the plugin does not have',
      {
        all: false,
        criteria: {
          rule: 'IN_REGION',
          resourceType: 'multicluster-cluster',
          params: {},
        },
      },
      { team: 'a' },
      false,
    ],
  ])('%s', (_title, scope, labels, expected) => {
    expect(inScope(scope, cluster(labels))).toBe(expected);
  });
});
