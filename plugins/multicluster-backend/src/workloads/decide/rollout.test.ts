/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  advanceRollout,
  revisionFor,
  type RolloutState,
  startRollout,
  type StepObservation,
} from './rollout';

const settings = {
  maxConcurrent: 2,
  maxFailures: 1,
  soakSeconds: 10,
  timeoutSeconds: 60,
};
const targets = ['a', 'b', 'c', 'd', 'e'];

const advance = (
  state: RolloutState,
  now: number,
  seen: Record<string, StepObservation> = {},
  overrides: Partial<typeof settings> = {},
  list = targets,
) =>
  advanceRollout({
    state,
    targets: list,
    observations: new Map(Object.entries(seen)),
    settings: { ...settings, ...overrides },
    now,
  });

const ready = { ready: true, failed: false };
const waiting = { ready: false, failed: false, reason: '0 of 1 ready' };
const broken = {
  ready: false,
  failed: true,
  reason: 'progress deadline exceeded',
};

describe('advanceRollout', () => {
  it('runs steps of maxConcurrent with a soak between them, then completes', () => {
    let s = startRollout(2, 1, 0);
    let r = advance(s, 0);
    expect(r.start).toEqual(['a', 'b']);
    s = r.state;
    r = advance(s, 1000, { a: ready, b: waiting });
    expect(r.start).toEqual([]);
    expect(r.state.done).toEqual(['a']);
    s = r.state;
    r = advance(s, 2000, { b: ready });
    expect(r.start).toEqual([]);
    expect(r.state.soakUntil).toBe(12_000);
    s = r.state;
    expect(advance(s, 11_999).start).toEqual([]);
    r = advance(s, 12_000);
    expect(r.start).toEqual(['c', 'd']);
    expect(r.state.step).toBe(2);
    s = r.state;
    r = advance(s, 13_000, { c: ready, d: ready });
    s = r.state;
    r = advance(s, 23_000);
    expect(r.start).toEqual(['e']);
    r = advance(r.state, 24_000, { e: ready });
    expect(r.state.state).toBe('complete');
    expect(r.state.done).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('tolerates maxFailures, then stops', () => {
    let r = advance(startRollout(2, 1, 0), 0, {}, { soakSeconds: 0 });
    r = advance(r.state, 1000, { a: broken, b: ready }, { soakSeconds: 0 });
    expect(r.stopped).toBe(false);
    expect(r.start).toEqual(['c', 'd']);
    r = advance(r.state, 2000, { c: broken, d: ready }, { soakSeconds: 0 });
    expect(r.stopped).toBe(true);
    expect(r.state.state).toBe('failed');
    expect(r.state.reason).toMatch(
      /^revision 2 failed on 2 clusters \(maxFailures 1\): progress deadline exceeded; progress deadline exceeded$/,
    );
  });

  it('fails a cluster that is not ready in time', () => {
    let r = advance(startRollout(2, 1, 0), 0, {}, { maxFailures: 0 });
    r = advance(r.state, 61_000, { a: ready, b: waiting }, { maxFailures: 0 });
    expect(r.stopped).toBe(true);
    expect(r.state.failed).toEqual([
      { clusterId: 'b', reason: 'not ready within 60 s (0 of 1 ready)' },
    ]);
  });

  it('puts an in-flight cluster that became unfit back to pending', () => {
    let r = advance(startRollout(2, 1, 0), 0);
    r = advance(r.state, 1000, { a: ready }, {}, ['a', 'c', 'd']);
    expect(r.state.inFlight).toEqual([]);
    expect(r.state.failed).toEqual([]);
    expect(r.state.done).toEqual(['a']);
  });

  it('continues from stored state (a restart mid-rollout)', () => {
    let r = advance(startRollout(2, 1, 0), 0);
    const stored: RolloutState = JSON.parse(JSON.stringify(r.state));
    r = advance(stored, 5000, { a: ready, b: ready }, { soakSeconds: 0 });
    expect(r.start).toEqual(['c', 'd']);
  });
});

describe('revisionFor', () => {
  const progressing: RolloutState = {
    ...startRollout(3, 2, 0),
    done: ['a'],
    inFlight: [{ clusterId: 'b', appliedAt: 0 }],
    failed: [{ clusterId: 'c', reason: 'x' }],
  };
  it.each<[string, RolloutState | undefined, number, number | undefined]>([
    ['a', undefined, 0, 3],
    ['a', progressing, 2, 3],
    ['b', progressing, 2, 3],
    ['c', progressing, 2, 3],
    ['d', progressing, 2, 2],
    ['d', progressing, 1, 1],
    ['d', progressing, 0, undefined],
    ['a', { ...progressing, state: 'failed' }, 3, 2],
    [
      'a',
      { ...progressing, state: 'failed', fromRevision: undefined },
      3,
      undefined,
    ],
    ['a', { ...progressing, state: 'complete' }, 0, 3],
  ])(
    'cluster %s during %j, running %s, runs %s',
    (id, rollout, current, revision) => {
      expect(revisionFor(id, rollout, 3, current)).toBe(revision);
    },
  );
});
