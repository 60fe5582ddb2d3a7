/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { LABEL_TEAM_NAMESPACE, teamLabelsFor, teamRefOf } from './teams';

describe('team labels', () => {
  it.each([
    ['group:default/payments', { team: 'payments' }],
    ['group:payments', { team: 'payments' }],
    ['Group:Default/payments', { team: 'payments' }],
    [
      'group:other/payments',
      { team: 'payments', [LABEL_TEAM_NAMESPACE]: 'other' },
    ],
    ['user:default/alice', {}],
    ['component:default/x', {}],
    ['payments', {}],
    [`group:default/${'a'.repeat(64)}`, {}],
  ])('%s names the team %j', (ref, labels) => {
    expect(teamLabelsFor(ref)).toEqual(labels);
  });

  it('honours another team label', () => {
    expect(
      teamLabelsFor('group:default/a', { teamLabel: 'owner-team' }),
    ).toEqual({ 'owner-team': 'a' });
  });

  it.each([
    [{ team: 'payments' }, 'group:default/payments'],
    [
      { team: 'payments', [LABEL_TEAM_NAMESPACE]: 'other' },
      'group:other/payments',
    ],
    [{ owner: 'payments' }, undefined],
    [{ team: ' ' }, undefined],
  ])('labels %j belong to %s', (labels, ref) => {
    expect(teamRefOf(labels)).toBe(ref);
  });

  it('round-trips a group ref', () => {
    for (const ref of ['group:default/payments', 'group:other/search']) {
      expect(teamRefOf(teamLabelsFor(ref))).toBe(ref);
    }
  });
});
