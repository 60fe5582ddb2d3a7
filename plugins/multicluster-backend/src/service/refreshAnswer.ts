/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { ClusterRefreshResult } from '@archipelago/multicluster-common';
import { ServiceUnavailableError } from '@backstage/errors';
import type { RoundRequest } from '../inventory/tasks';

/** What `POST /clusters/refresh` asked of the scheduler, per round. */
export type RefreshOutcome = Pick<ClusterRefreshResult, 'discovery' | 'probe'>;

const PHRASES: Record<'discovery' | 'probe', Record<RoundRequest, string>> = {
  discovery: {
    scheduled: 'discovery was scheduled',
    running: 'discovery is already running',
    unavailable: 'discovery could not be scheduled',
  },
  probe: {
    scheduled: 'a probe round was scheduled',
    running: 'a probe round is already running',
    unavailable: 'a probe round could not be scheduled',
  },
};

/**
 * Pure: the truthful answer to a refresh, or a 503 when neither round could
 * be scheduled nor is running (the tasks are not registered on this replica).
 */
export function refreshAnswer(outcome: RefreshOutcome): ClusterRefreshResult {
  const { discovery, probe } = outcome;
  const text = `${PHRASES.discovery[discovery]}; ${PHRASES.probe[probe]}`;
  const message = text.charAt(0).toUpperCase() + text.slice(1);
  if (discovery === 'unavailable' && probe === 'unavailable') {
    throw new ServiceUnavailableError(
      `${message}: the inventory tasks are not running on this replica yet`,
    );
  }
  const accepted = discovery === 'scheduled' || probe === 'scheduled';
  return {
    status: accepted ? 'accepted' : 'running',
    message,
    discovery,
    probe,
  };
}
