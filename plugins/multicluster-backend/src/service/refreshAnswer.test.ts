/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { refreshAnswer } from './refreshAnswer';

describe('refreshAnswer', () => {
  it.each([
    [
      'scheduled',
      'scheduled',
      'accepted',
      'Discovery was scheduled; a probe round was scheduled',
    ],
    [
      'scheduled',
      'running',
      'accepted',
      'Discovery was scheduled; a probe round is already running',
    ],
    [
      'running',
      'running',
      'running',
      'Discovery is already running; a probe round is already running',
    ],
    [
      'unavailable',
      'running',
      'running',
      'Discovery could not be scheduled; a probe round is already running',
    ],
  ] as const)(
    'discovery %s, probe %s: %s',
    (discovery, probe, status, message) => {
      expect(refreshAnswer({ discovery, probe })).toEqual({
        status,
        message,
        discovery,
        probe,
      });
    },
  );

  it('is a 503 when nothing could be scheduled', () => {
    expect(() =>
      refreshAnswer({ discovery: 'unavailable', probe: 'unavailable' }),
    ).toThrow(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message: expect.stringMatching(/not running on this replica/),
      }),
    );
  });
});
