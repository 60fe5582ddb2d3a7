/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { PromotionInputs } from '@archipelago/multicluster-common';

/**
 * The service inputs a promotion carries from an environment to a new one of
 * another type or cloud: each request input of the source whose component
 * the target has and whose driver accepts it. What cannot come along is
 * listed with why (a local `server: dedicated` means nothing to RDS), so the
 * plan says so before anything is created. Pure.
 */
export function promotionInputs(
  source: Record<string, unknown>,
  target: Array<{ key: string; driver: string }>,
  validate: (driver: string, inputs: Record<string, unknown>) => void,
  where: string,
): PromotionInputs {
  const carried: Record<string, Record<string, unknown>> = {};
  const dropped: PromotionInputs['dropped'] = [];
  for (const [key, value] of Object.entries(source)) {
    const component = target.find(t => t.key === key);
    if (!component) {
      dropped.push({
        path: `inputs.${key}`,
        reason: `${where} has no component ${key}`,
      });
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [input, v] of Object.entries(value as Record<string, unknown>)) {
      try {
        validate(component.driver, { [input]: v });
        (carried[key] ??= {})[input] = v;
      } catch (error) {
        dropped.push({
          path: `inputs.${key}.${input}`,
          reason: `${component.driver} does not take it: ${
            (error as Error).message
          }`,
        });
      }
    }
  }
  return { carried, dropped };
}
