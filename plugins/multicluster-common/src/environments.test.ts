/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import {
  createEnvironmentRequestSchema,
  environmentNameProblem,
  parseCreateEnvironmentRequest,
} from './environments';

const valid = {
  name: 'feature-login',
  type: 'dev-small',
  cloud: 'local',
  owner: 'group:default/team-a',
};

describe('environmentNameProblem', () => {
  it.each([
    ['abc', true],
    ['feature-login-2', true],
    ['a'.repeat(40), true],
    ['ab', false],
    ['a'.repeat(41), false],
    ['1abc', false],
    ['-abc', false],
    ['abc-', false],
    ['Abc', false],
    ['ab_c', false],
    ['ab.c', false],
  ])('%j valid: %s', (name, ok) => {
    expect(environmentNameProblem(name) === undefined).toBe(ok);
  });
});

describe('parseCreateEnvironmentRequest', () => {
  it('applies defaults', () => {
    expect(parseCreateEnvironmentRequest(valid)).toEqual({
      ...valid,
      inputs: {},
      onFailure: 'rollback',
    });
  });

  it('keeps optional fields', () => {
    const request = {
      ...valid,
      ttlMinutes: 120,
      inputs: { nodes: 2 },
      onFailure: 'keep',
    };
    expect(parseCreateEnvironmentRequest(request)).toEqual(request);
  });

  it.each([
    'team-a',
    'group:team-a',
    'user:default/jane',
    'group:platform/ops',
  ])('accepts owner %j', owner => {
    expect(parseCreateEnvironmentRequest({ ...valid, owner }).owner).toBe(
      owner,
    );
  });

  it.each<[Record<string, unknown>, string]>([
    [
      { name: undefined },
      "name: name is required: name must be 3-40 characters of lowercase letters, digits and '-'",
    ],
    [
      { name: 'X' },
      'name: name must be 3-40 characters of lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit (got "X")',
    ],
    [{ name: 42 }, 'name: name must be a string'],
    [
      { type: '' },
      'type: type must not be empty: an environment type from GET /environment-types',
    ],
    [{ type: undefined }, 'type: type is required'],
    [{ cloud: 'ibm' }, 'cloud: cloud must be one of local, aws, azure, gcp'],
    [
      { cloud: undefined },
      'cloud: cloud is required: one of local, aws, azure, gcp',
    ],
    [
      { owner: undefined },
      'owner: owner is required: an entity ref such as group:default/team-a',
    ],
    [
      { owner: 'a:b:c' },
      'owner: owner must be an entity ref such as group:default/team-a or user:default/jane',
    ],
    [{ ttlMinutes: 5 }, 'ttlMinutes: ttlMinutes must be between 10 and 43200'],
    [
      { ttlMinutes: 43201 },
      'ttlMinutes: ttlMinutes must be between 10 and 43200',
    ],
    [
      { ttlMinutes: 10.5 },
      'ttlMinutes: ttlMinutes must be a whole number of minutes',
    ],
    [
      { ttlMinutes: '60' },
      'ttlMinutes: ttlMinutes must be a number of minutes',
    ],
    [
      { inputs: 'x' },
      'inputs: inputs must be an object of input names to values',
    ],
    [
      { onFailure: 'retry' },
      'onFailure: onFailure must be one of rollback, keep',
    ],
    [{ extra: true }, "Unrecognized key(s) in object: 'extra'"],
  ])('rejects %j', (patch, message) => {
    const body = { ...valid, ...patch };
    expect(() => parseCreateEnvironmentRequest(body)).toThrow(InputError);
    expect(() => parseCreateEnvironmentRequest(body)).toThrow(message);
  });

  it('names every bad field at once', () => {
    expect(() =>
      parseCreateEnvironmentRequest({ name: 'X', cloud: 'ibm' }),
    ).toThrow(/name: .*; type: .*; cloud: .*; owner: /);
  });

  it('exposes the schema for other validators', () => {
    expect(createEnvironmentRequestSchema.safeParse(valid).success).toBe(true);
  });
});
