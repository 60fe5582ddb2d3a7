/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { TestApiRegistry } from '@backstage/test-utils';
import { multiclusterApiRef } from '../api';
import { FakeMulticlusterApi } from '../__testUtils__/FakeMulticlusterApi';
import { ENVIRONMENT_TYPES, makeCluster } from '../__testUtils__/fixtures';
import {
  environmentTypeProblem,
  validateClusterSelector,
  validateEnvironmentType,
} from './validation';

function collector() {
  const errors: string[] = [];
  return { errors, addError: (m: string) => errors.push(m) };
}

describe('environmentTypeProblem', () => {
  it.each([
    [undefined, 'Select an environment type'],
    [{ type: '', cloud: 'aws' }, 'Select an environment type'],
    [{ type: 'dev-small', cloud: '' }, 'Select a cloud'],
    [
      { type: 'huge', cloud: 'aws' },
      'Environment type "huge" does not exist; available: dev-small, production',
    ],
    [
      { type: 'production', cloud: 'local' },
      'Environment type "production" is not available on cloud "local"; available clouds: aws',
    ],
    [{ type: 'dev-small', cloud: 'aws' }, undefined],
  ])('%p → %p', (value, expected) => {
    expect(environmentTypeProblem(value, ENVIRONMENT_TYPES)).toBe(expected);
  });

  it('checks only completeness without the type list', () => {
    expect(
      environmentTypeProblem({ type: 'anything', cloud: 'mars' }, undefined),
    ).toBeUndefined();
  });
});

describe('validateEnvironmentType', () => {
  it('rejects a pair the mapping does not have', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    const c = collector();
    await validateEnvironmentType({ type: 'production', cloud: 'gcp' }, c, {
      apiHolder: TestApiRegistry.from([multiclusterApiRef, api]),
    });
    expect(c.errors).toEqual([
      'Environment type "production" is not available on cloud "gcp"; available clouds: aws',
    ]);
  });

  it('does not ask the server about an incomplete value', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    const c = collector();
    await validateEnvironmentType({ type: 'dev-small', cloud: '' }, c, {
      apiHolder: TestApiRegistry.from([multiclusterApiRef, api]),
    });
    expect(c.errors).toEqual(['Select a cloud']);
    expect(api.calls).toEqual([]);
  });

  it('accepts an existing pair', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    const c = collector();
    await validateEnvironmentType({ type: 'dev-small', cloud: 'local' }, c, {
      apiHolder: TestApiRegistry.from([multiclusterApiRef, api]),
    });
    expect(c.errors).toEqual([]);
  });
});

describe('validateClusterSelector', () => {
  const api = new FakeMulticlusterApi({
    clusters: [makeCluster('eu-1', { labels: { env: 'prod' } })],
  });
  const apiHolder = TestApiRegistry.from([multiclusterApiRef, api]);

  it('rejects a selector that does not parse', async () => {
    const c = collector();
    await validateClusterSelector('env in (prod', c, { apiHolder });
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]).toMatch(/^Invalid label selector: /);
  });

  it('accepts a valid selector without asking the server by default', async () => {
    const c = collector();
    const before = api.calls.length;
    await validateClusterSelector('env=staging', c, { apiHolder });
    expect(c.errors).toEqual([]);
    expect(api.calls.length).toBe(before);
  });

  it('rejects a selector that matches nothing when requireMatch is set', async () => {
    const c = collector();
    await validateClusterSelector('env=staging', c, {
      apiHolder,
      uiSchema: { 'ui:options': { requireMatch: true } },
    });
    expect(c.errors).toEqual(['No cluster matches "env=staging"']);
    expect(api.callsOf('listClusters').at(-1)).toEqual([
      { selector: 'env=staging', limit: 1 },
    ]);
  });

  it('accepts a matching selector when requireMatch is set', async () => {
    const c = collector();
    await validateClusterSelector('env=prod', c, {
      apiHolder,
      uiSchema: { 'ui:options': { requireMatch: true } },
    });
    expect(c.errors).toEqual([]);
  });
});
