/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { promotionInputs } from './promotion';

const validate = (driver: string, inputs: Record<string, unknown>) => {
  const allowed: Record<string, string[]> = {
    'aws-rds-postgres': ['storageGb', 'instanceClass'],
    'aws-eks': ['nodes'],
  };
  for (const k of Object.keys(inputs)) {
    if (!allowed[driver]?.includes(k))
      throw new Error(`unknown input ${k} for driver ${driver}`);
  }
};

describe('promotionInputs', () => {
  it('carries what the target drivers take and lists what they do not', () => {
    expect(
      promotionInputs(
        {
          database: { server: 'dedicated', storageGb: 50 },
          kubernetes: { nodes: 3 },
          cache: { size: 'm' },
        },
        [
          { key: 'database', driver: 'aws-rds-postgres' },
          { key: 'kubernetes', driver: 'aws-eks' },
        ],
        validate,
        'production/aws',
      ),
    ).toEqual({
      carried: { database: { storageGb: 50 }, kubernetes: { nodes: 3 } },
      dropped: [
        {
          path: 'inputs.database.server',
          reason:
            'aws-rds-postgres does not take it: unknown input server for driver aws-rds-postgres',
        },
        {
          path: 'inputs.cache',
          reason: 'production/aws has no component cache',
        },
      ],
    });
  });

  it('carries nothing from an environment created without inputs', () => {
    expect(promotionInputs({}, [], validate, 'x/y')).toEqual({
      carried: {},
      dropped: [],
    });
  });
});
