/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { summariseNodes } from './nodes';
import { parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each<[unknown, number]>([
    ['4', 4],
    ['3920m', 3.92],
    ['1.5', 1.5],
    ['16Gi', 16 * 2 ** 30],
    ['16394580Ki', 16394580 * 1024],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['1M', 1e6],
    ['110', 110],
    [7, 7],
  ])('%p', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 6);
  });

  it.each<[unknown]>([[''], ['lots'], ['12Qi'], [undefined], [Number.NaN]])(
    'rejects %p',
    input => {
      expect(parseQuantity(input)).toBeUndefined();
    },
  );
});

describe('summariseNodes', () => {
  it('counts ready nodes and sums allocatable over them only', () => {
    const summary = summariseNodes([
      {
        metadata: { name: 'a', labels: { 'kubernetes.io/hostname': 'a' } },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          allocatable: { cpu: '3920m', memory: '15Gi', pods: '110' },
          nodeInfo: { kubeletVersion: 'v1.31.4' },
        },
      },
      {
        metadata: { name: 'b' },
        status: {
          conditions: [{ type: 'Ready', status: 'False' }],
          allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
          nodeInfo: { kubeletVersion: 'v1.30.2' },
        },
      },
      {
        metadata: { name: 'c' },
        status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
      },
    ]);
    expect(summary).toMatchObject({
      ready: 1,
      total: 3,
      notReady: ['b', 'c'],
      allocatable: { cpu: 3.92, memoryBytes: 15 * 2 ** 30, pods: 110 },
      kubeletVersions: ['v1.30.2', 'v1.31.4'],
    });
  });
});
