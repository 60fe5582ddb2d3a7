/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { workloadReadiness } from './readiness';

const deploy = (spec: object, status: object, generation = 2) => ({
  kind: 'Deployment',
  metadata: { generation },
  spec,
  status,
});
const sts = (spec: object, status: object, generation = 2) => ({
  kind: 'StatefulSet',
  metadata: { generation },
  spec,
  status,
});

const ds = (spec: object, status: object, generation = 2) => ({
  kind: 'DaemonSet',
  metadata: { generation },
  spec,
  status,
});
const job = (status: object, spec: object = {}) => ({
  kind: 'Job',
  metadata: { generation: 1 },
  spec,
  status,
});

describe('workloadReadiness', () => {
  it.each<
    [
      string,
      any,
      number | undefined,
      { ready: boolean; reason?: RegExp; failed?: boolean },
    ]
  >([
    [
      'a missing object',
      undefined,
      undefined,
      { ready: false, reason: /gone/ },
    ],
    ['a ConfigMap', { kind: 'ConfigMap' }, undefined, { ready: true }],
    [
      'a DaemonSet on every node',
      ds(
        {},
        {
          observedGeneration: 2,
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 3,
          numberAvailable: 3,
        },
      ),
      undefined,
      { ready: true },
    ],
    [
      'a DaemonSet still updating',
      ds(
        {},
        {
          observedGeneration: 2,
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 1,
          numberAvailable: 3,
        },
      ),
      undefined,
      { ready: false, reason: /1 of 3 updated pods scheduled/ },
    ],
    [
      'a DaemonSet whose new pods are not available',
      ds(
        {},
        {
          observedGeneration: 2,
          desiredNumberScheduled: 2,
          updatedNumberScheduled: 2,
          numberAvailable: 1,
        },
      ),
      undefined,
      { ready: false, reason: /1 of 2 updated pods available/ },
    ],
    [
      'a DaemonSet not yet observed',
      ds({}, { observedGeneration: 1 }),
      undefined,
      { ready: false, reason: /observe generation 2/ },
    ],
    [
      'a complete Job',
      job({ conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1 }),
      undefined,
      { ready: true },
    ],
    [
      'a running Job',
      job({ active: 1 }, { completions: 2 }),
      undefined,
      { ready: false, reason: /0 of 2 completions/ },
    ],
    [
      'a failed Job',
      job({
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      }),
      undefined,
      { ready: false, failed: true, reason: /BackoffLimitExceeded/ },
    ],
    [
      'an unobserved generation',
      deploy({ replicas: 2 }, { observedGeneration: 1, readyReplicas: 2 }),
      undefined,
      { ready: false, reason: /observe generation 2/ },
    ],
    [
      'the applied generation, newer than the object read',
      deploy(
        { replicas: 1 },
        {
          observedGeneration: 2,
          updatedReplicas: 1,
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      ),
      3,
      { ready: false, reason: /generation 3/ },
    ],
    [
      'a Deployment mid-update',
      deploy(
        { replicas: 3 },
        {
          observedGeneration: 2,
          updatedReplicas: 1,
          replicas: 3,
          readyReplicas: 3,
        },
      ),
      undefined,
      { ready: false, reason: /1 of 3 replicas updated/ },
    ],
    [
      'old replicas terminating',
      deploy(
        { replicas: 2 },
        {
          observedGeneration: 2,
          updatedReplicas: 2,
          replicas: 3,
          readyReplicas: 2,
        },
      ),
      undefined,
      { ready: false, reason: /1 old replicas pending termination/ },
    ],
    [
      'replicas not ready',
      deploy(
        { replicas: 2 },
        {
          observedGeneration: 2,
          updatedReplicas: 2,
          replicas: 2,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      ),
      undefined,
      { ready: false, reason: /1 of 2 replicas ready/ },
    ],
    [
      'replicas not available yet',
      deploy(
        { replicas: 2 },
        {
          observedGeneration: 2,
          updatedReplicas: 2,
          replicas: 2,
          readyReplicas: 2,
          availableReplicas: 1,
        },
      ),
      undefined,
      { ready: false, reason: /1 of 2 replicas available/ },
    ],
    [
      'a rolled-out Deployment',
      deploy(
        { replicas: 2 },
        {
          observedGeneration: 2,
          updatedReplicas: 2,
          replicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
        },
      ),
      undefined,
      { ready: true },
    ],
    [
      'a Deployment scaled to 0',
      deploy({ replicas: 0 }, { observedGeneration: 2 }),
      undefined,
      { ready: true },
    ],
    [
      'replicas defaulting to 1',
      deploy({}, { observedGeneration: 2 }),
      undefined,
      { ready: false, reason: /0 of 1 replicas updated/ },
    ],
    [
      'a progress deadline exceeded',
      deploy(
        { replicas: 2 },
        {
          observedGeneration: 2,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-1" has timed out progressing.',
            },
          ],
        },
      ),
      undefined,
      {
        ready: false,
        failed: true,
        reason: /progress deadline exceeded: ReplicaSet "web-1" has timed out/,
      },
    ],
    [
      'a StatefulSet not ready',
      sts({ replicas: 3 }, { observedGeneration: 2, readyReplicas: 2 }),
      undefined,
      { ready: false, reason: /2 of 3 replicas ready/ },
    ],
    [
      'a StatefulSet mid-revision',
      sts(
        { replicas: 2 },
        {
          observedGeneration: 2,
          readyReplicas: 2,
          updatedReplicas: 1,
          currentRevision: 'a',
          updateRevision: 'b',
        },
      ),
      undefined,
      { ready: false, reason: /1 of 2 replicas updated to revision b/ },
    ],
    [
      'a rolled-out StatefulSet',
      sts(
        { replicas: 2 },
        {
          observedGeneration: 2,
          readyReplicas: 2,
          updatedReplicas: 2,
          currentRevision: 'b',
          updateRevision: 'b',
        },
      ),
      undefined,
      { ready: true },
    ],
    [
      'a partitioned StatefulSet, done above the partition',
      sts(
        { replicas: 4, updateStrategy: { rollingUpdate: { partition: 3 } } },
        {
          observedGeneration: 2,
          readyReplicas: 4,
          updatedReplicas: 1,
          currentRevision: 'a',
          updateRevision: 'b',
        },
      ),
      undefined,
      { ready: true },
    ],
    [
      'a partitioned StatefulSet, not yet',
      sts(
        { replicas: 4, updateStrategy: { rollingUpdate: { partition: 2 } } },
        { observedGeneration: 2, readyReplicas: 4, updatedReplicas: 1 },
      ),
      undefined,
      { ready: false, reason: /1 of 2 replicas above the partition/ },
    ],
    [
      'an OnDelete StatefulSet',
      sts(
        { replicas: 2, updateStrategy: { type: 'OnDelete' } },
        {
          observedGeneration: 2,
          readyReplicas: 2,
          currentRevision: 'a',
          updateRevision: 'b',
        },
      ),
      undefined,
      { ready: true },
    ],
  ])('%s', (_title, live, generation, expected) => {
    const r = workloadReadiness(live, generation);
    const got = r.ready
      ? { ready: true, reason: '', failed: false }
      : { ready: false, reason: r.reason, failed: Boolean(r.failed) };
    expect(got.ready).toBe(expected.ready);
    expect(got.reason).toMatch(expected.reason ?? /^$/);
    expect(got.failed).toBe(Boolean(expected.failed));
  });
});
