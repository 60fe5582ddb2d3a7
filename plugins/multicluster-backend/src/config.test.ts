/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import { errorOf } from './__testUtils__/errors';
import {
  catalogProviderConfig,
  connectionCallers,
  readMulticlusterConfig,
} from './config';

const read = (multicluster: unknown) =>
  readMulticlusterConfig(new ConfigReader({ multicluster } as any));

describe('readMulticlusterConfig', () => {
  it('applies defaults', () => {
    const cfg = read(undefined);
    expect(cfg.health).toEqual({
      intervalSeconds: 60,
      timeoutSeconds: 5,
      concurrency: 32,
      maxConcurrency: 128,
      flapThreshold: 2,
      historyLimit: 100,
      historyMaxAgeHours: 24,
    });
    expect(cfg.discovery).toEqual({
      intervalSeconds: 300,
      timeoutSeconds: 120,
    });
    expect(connectionCallers(cfg)).toEqual({
      view: ['kubernetes'],
      deploy: [],
    });
    expect(catalogProviderConfig(cfg)).toBeUndefined();
  });

  it('reads which plugins get connection details of which role, the list form too', () => {
    expect(
      connectionCallers(
        read({
          connections: {
            allowedPlugins: { view: ['kubernetes'], deploy: ['scaffolder'] },
          },
        }),
      ),
    ).toEqual({ view: ['kubernetes'], deploy: ['scaffolder'] });
    // The list form predates roles: both, deploy still per user and cluster.
    expect(
      connectionCallers(
        read({ connections: { allowedPlugins: ['kubernetes', 'scaffolder'] } }),
      ),
    ).toEqual({
      view: ['kubernetes', 'scaffolder'],
      deploy: ['kubernetes', 'scaffolder'],
    });
  });

  it('normalises the boolean shorthands', () => {
    const cfg = read({
      providers: { catalog: true },
    });
    expect(catalogProviderConfig(cfg)).toEqual({ enabled: true, labels: {} });
    expect(
      catalogProviderConfig(
        read({ providers: { catalog: { enabled: false } } }),
      ),
    ).toBeUndefined();
  });

  it('leaves provider keys of other modules (emulator, aws, azure, gcp) to those modules', () => {
    const cfg = read({
      providers: {
        aws: { prod: { regions: ['eu-west-1'] } },
        gcp: { main: { projects: ['p'] } },
        emulator: { clusters: 3 },
        config: [],
      },
    });
    expect(cfg.providers.config).toEqual([]);
    expect((cfg.providers as Record<string, unknown>).aws).toEqual({
      prod: { regions: ['eu-west-1'] },
    });
  });

  it.each([
    [
      { health: { concurrency: 0 } },
      /multicluster\.health\.concurrency: Number must be greater than or equal to 1/,
    ],
    [
      { health: { concurrency: 64, maxConcurrency: 32 } },
      /multicluster\.health\.maxConcurrency: must be at least multicluster\.health\.concurrency/,
    ],
    [
      { health: { timeoutSecs: 3 } },
      /multicluster\.health: Unrecognized key\(s\) in object: 'timeoutSecs'/,
    ],
    [
      { providers: { config: [{ name: 'a', url: 'nope' }] } },
      /multicluster\.providers\.config\[0\]\.url: Invalid url/,
    ],
    [
      {
        providers: {
          config: [{ name: 'a', url: 'https://a', caData: 'x', caFile: 'y' }],
        },
      },
      /providers\.config\[0\]: set caData or caFile, not both/,
    ],
    [
      { providers: { kubeconfig: [{ contexts: [] }] } },
      /multicluster\.providers\.kubeconfig\[0\]\.contexts/,
    ],
    [
      { providers: { kubeconfig: [{ roleContexts: { view: 'ctx-view' } }] } },
      /multicluster\.providers\.kubeconfig\[0\]\.roleContexts\.view: must contain \{context\}/,
    ],
    [
      {
        providers: {
          config: [
            { name: 'a', url: 'https://a', credentials: { admin: 'x' } },
          ],
        },
      },
      /multicluster\.providers\.config\[0\]\.credentials: Unrecognized key\(s\) in object: 'admin'/,
    ],
    [
      { connections: { allowedPlugins: { probe: ['x'] } } },
      /multicluster\.connections\.allowedPlugins/,
    ],
  ])('rejects %j naming the key', (value, message) => {
    expect(() => read(value)).toThrow(message);
  });

  it('never echoes secret values in errors', () => {
    const error = errorOf(() =>
      read({
        providers: {
          config: [{ name: 'a', url: 'https://a', token: 12345678901 }],
        },
      }),
    );
    expect(error.message).toMatch(
      /providers\.config\[0\]\.token: Expected string, received number/,
    );
    expect(error.message).not.toContain('12345678901');
  });
});
