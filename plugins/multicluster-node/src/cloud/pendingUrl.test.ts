/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { pendingUrl } from './pendingUrl';

describe('pendingUrl', () => {
  it('is a unique, never-resolving URL per cluster', () => {
    const a = pendingUrl('eks', 'arn:aws:eks:us-east-1:111122223333:cluster/a');
    const b = pendingUrl('eks', 'arn:aws:eks:us-east-1:111122223333:cluster/b');
    expect(a).toBe(
      'https://provisioning.invalid/eks/arn%3Aaws%3Aeks%3Aus-east-1%3A111122223333%3Acluster%2Fa',
    );
    expect(a).not.toBe(b);
    const url = new URL(a);
    expect(url.hostname.endsWith('.invalid')).toBe(true);
    expect(decodeURIComponent(url.pathname.split('/')[2])).toBe(
      'arn:aws:eks:us-east-1:111122223333:cluster/a',
    );
  });
});
