/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  assertStartable,
  DEVELOPMENT_ENVIRONMENTS_KEY,
  isProduction,
  productionProblems,
} from './productionChecks';

const ROOT = path.resolve(__dirname, '../../..');
const yamlOf = (file: string) =>
  parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

const REQUIRED = ['BACKEND_SECRET', 'POSTGRES_PASSWORD'];
const config = (data: object) => new ConfigReader(data);

describe('productionProblems', () => {
  it.each<[string, object, NodeJS.ProcessEnv, string[]]>([
    ['development defaults', {}, {}, []],
    [
      'every required variable set',
      { archipelago: { requiredEnvironment: REQUIRED } },
      { BACKEND_SECRET: 'x', POSTGRES_PASSWORD: 'y' },
      [],
    ],
    [
      'one unset, one blank',
      { archipelago: { requiredEnvironment: REQUIRED } },
      { POSTGRES_PASSWORD: '  ' },
      [
        'environment variable BACKEND_SECRET is not set (archipelago.requiredEnvironment lists it)',
        'environment variable POSTGRES_PASSWORD is not set (archipelago.requiredEnvironment lists it)',
      ],
    ],
    [
      'the development key outside production',
      {
        multicluster: {
          environments: { secretKey: DEVELOPMENT_ENVIRONMENTS_KEY },
        },
      },
      {},
      [],
    ],
    [
      'the development key with NODE_ENV=production',
      {
        multicluster: {
          environments: { secretKey: DEVELOPMENT_ENVIRONMENTS_KEY },
        },
      },
      { NODE_ENV: 'production' },
      [
        'multicluster.environments.secretKey is the development key of app-config.yaml; set ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY (32 or more random characters)',
      ],
    ],
    [
      'the development key with auth.environment production',
      {
        auth: { environment: 'production' },
        multicluster: {
          environments: { secretKey: DEVELOPMENT_ENVIRONMENTS_KEY },
        },
      },
      {},
      [expect.stringMatching(/ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY/) as any],
    ],
    [
      'a production key in production',
      { multicluster: { environments: { secretKey: 'k'.repeat(40) } } },
      { NODE_ENV: 'production' },
      [],
    ],
  ])('%s', (_name, data, env, problems) => {
    expect(productionProblems(config(data), env)).toEqual(problems);
  });

  it('throws one error naming every problem', () => {
    expect(() =>
      assertStartable(
        config({ archipelago: { requiredEnvironment: REQUIRED } }),
        {},
      ),
    ).toThrow(
      /^Refusing to start: environment variable BACKEND_SECRET is not set .*; environment variable POSTGRES_PASSWORD is not set/,
    );
  });
});

describe('the committed configuration', () => {
  const base = yamlOf('app-config.yaml');
  const production = yamlOf('app-config.production.yaml');

  it('keeps the development key in app-config.yaml only', () => {
    expect(base.multicluster.environments.secretKey).toBe(
      DEVELOPMENT_ENVIRONMENTS_KEY,
    );
    expect(JSON.stringify(production)).not.toContain(
      DEVELOPMENT_ENVIRONMENTS_KEY,
    );
  });

  it('requires in production every variable the production file reads', () => {
    const read = [
      ...fs
        .readFileSync(path.join(ROOT, 'app-config.production.yaml'), 'utf8')
        .matchAll(/\$\{([A-Z0-9_]+)\}/g),
    ].map(m => m[1]);
    expect(new Set(production.archipelago.requiredEnvironment)).toEqual(
      new Set(read),
    );
    for (const name of [
      'BACKEND_SECRET',
      'POSTGRES_PASSWORD',
      'ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY',
    ]) {
      expect(read).toContain(name);
    }
  });

  it('runs production as production, without guest sign-in or a guest admin', () => {
    const merged = config(production);
    expect(isProduction(merged, {})).toBe(true);
    expect(production.auth.providers.guest).toBeUndefined();
    expect(production.auth.providers.github).toBeDefined();
    expect(
      JSON.stringify(production.multicluster.examplePolicy.adminGroups),
    ).not.toMatch(/guest/);
  });

  it('loads every template and example entity of development in production too', () => {
    // Development runs in packages/backend, production in the installed bundle's root.
    const targets = (file: any, prefix: string) =>
      file.catalog.locations.map((l: { target: string }) =>
        l.target.replace(prefix, 'examples/'),
      );
    expect(targets(production, './examples/')).toEqual(
      targets(base, '../../examples/'),
    );
  });
});
