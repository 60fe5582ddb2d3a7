/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type EnvironmentCost,
  HOURS_PER_MONTH,
} from '@archipelago/multicluster-common';

/** Rounds to cents, so sums of floats read as prices. */
const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The estimated cost of components from their templates' hourly prices
 * (`multicluster.environments.templates.<name>.hourlyPrice`): an hourly sum
 * and a month of 730 hours. Components without a price are listed, so a
 * reader knows the figure is a lower bound.
 */
export function estimateCost(
  components: Array<{ key: string; hourlyPrice?: number }>,
  currency: string,
): EnvironmentCost {
  const priced: Record<string, number> = {};
  const unpriced: string[] = [];
  let hourly = 0;
  for (const c of components) {
    if (c.hourlyPrice === undefined) {
      unpriced.push(c.key);
      continue;
    }
    priced[c.key] = c.hourlyPrice;
    hourly += c.hourlyPrice;
  }
  return {
    currency,
    hourly: Math.round(hourly * 10000) / 10000,
    monthly: cents(hourly * HOURS_PER_MONTH),
    components: priced,
    unpriced,
  };
}
