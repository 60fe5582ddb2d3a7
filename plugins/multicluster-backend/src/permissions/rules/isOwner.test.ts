/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Environment } from '@archipelago/multicluster-common';
import { isEnvironmentOwnerRule } from './isOwner';

const env = (owner: string) => ({ owner } as Environment);

describe('IS_OWNER', () => {
  it.each([
    ['group:default/team-a', ['group:default/team-a'], true],
    ['group:default/Team-A', ['group:default/team-a'], true],
    [
      'group:default/team-a',
      ['user:default/alice', 'group:default/team-a'],
      true,
    ],
    ['group:default/team-b', ['group:default/team-a'], false],
  ])('owner %s with claims %j: %s', (owner, claims, expected) => {
    expect(isEnvironmentOwnerRule.apply(env(owner), { claims })).toBe(expected);
  });

  it('becomes an owner filter for the store', () => {
    expect(
      isEnvironmentOwnerRule.toQuery({ claims: ['group:default/a'] }),
    ).toEqual({
      owners: ['group:default/a'],
    });
  });

  it('refuses empty claims', () => {
    const schema = (isEnvironmentOwnerRule.paramsSchema as any)['~standard'];
    expect(schema.validate({ claims: [] }).issues[0].path).toEqual(['claims']);
    expect(schema.validate({ claims: ['group:default/a'] }).value).toEqual({
      claims: ['group:default/a'],
    });
  });
});
