/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import fc from 'fast-check';
import request from 'supertest';
import YAML from 'yaml';
import fs from 'node:fs';
import path from 'node:path';
import {
  fakeDrivers,
  fakeEnvironmentsConfig,
} from '../environments/__testUtils__/fakes';
import {
  type PluginHandle,
  startMulticlusterPlugin,
} from './__testUtils__/startPlugin';

jest.setTimeout(180_000);

const spec = YAML.parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);

/** Every operation, with the names of its query parameters and body fields. */
const operations = Object.entries(spec.paths as Record<string, any>).flatMap(
  ([template, item]) =>
    (['get', 'post', 'delete'] as const)
      .filter(m => item[m])
      .map(method => {
        const params = (item[method].parameters ?? []).map((p: any) =>
          p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p,
        );
        const bodyRef =
          item[method].requestBody?.content['application/json'].schema.$ref;
        const body = bodyRef
          ? spec.components.schemas[bodyRef.split('/').pop()]
          : undefined;
        return {
          method,
          template,
          query: params
            .filter((p: any) => p.in === 'query')
            .map((p: any) => p.name as string),
          fields: Object.keys(body?.properties ?? {}),
        };
      }),
);

const cluster = (name: string): DiscoveredCluster => ({
  sourceId: name,
  name,
  url: `https://127.0.0.1:9/${name}`,
  credentials: async () => ({ type: 'bearer', token: 'fuzz-token-s3cr3t' }),
  cloud: 'aws',
  labels: { env: 'prod', team: name },
});

/** Strings a hostile but honest user would try: syntax, sizes, encodings, nesting. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'env=prod',
    'env in (a,b),!legacy',
    'team in (a',
    `${'a,'.repeat(997)}a`,
    'x'.repeat(5000),
    '-1',
    '0',
    '501',
    '1e309',
    'NaN',
    'true',
    'null',
    '[]',
    '{}',
    '%00',
    '../../etc/passwd',
    'WyJuYW1lIiwiaCIsWzFdXQ',
    Buffer.from(JSON.stringify(['health', 'x', ['a']])).toString('base64url'),
    'aws,gcp,mars',
    'ready,sleeping',
  ),
);

/** Nested JSON up to a modest depth (the 5,000-deep case has its own test). */
const json = fc.letrec(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 10 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('fuzzing every route of the REST API', () => {
  let backend: PluginHandle;

  beforeAll(async () => {
    backend = await startMulticlusterPlugin({
      config: {
        multicluster: {
          environments: fakeEnvironmentsConfig().multicluster.environments,
        },
      },
      drivers: Object.values(fakeDrivers()),
      providers: [
        {
          getProviderId: () => 'fuzz',
          discover: async () => ({
            complete: true,
            clusters: [cluster('alpha'), cluster('beta')],
          }),
        },
      ],
      // No background rounds: every answer comes from the request itself.
      features: [mockServices.scheduler.mock().factory],
    });
  });
  afterAll(() => backend.stop());

  it('never answers 500, a stack trace, a secret or a body over 64 KB', async () => {
    const statuses = new Map<number, number>();
    const request$ = fc.record({
      operation: fc.constantFrom(...operations),
      pathValues: fc.array(nasty, { minLength: 3, maxLength: 3 }),
      query: fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            'selector',
            'cloud',
            'limit',
            'cursor',
            'ids',
            'status',
            'dryRun',
            'after',
          ),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })),
        { maxKeys: 4 },
      ),
      body: fc.oneof(
        json,
        fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 5 }),
      ),
      useFields: fc.boolean(),
      fieldValues: fc.array(json, { minLength: 8, maxLength: 8 }),
      raw: fc.option(fc.constantFrom('{', '[1,', 'not json', '{"a":1}}'), {
        nil: undefined,
      }),
    });
    await fc.assert(
      fc.asyncProperty(request$, async r => {
        let i = 0;
        const url = r.operation.template.replace(/\{[^}]+\}/g, () =>
          encodeURIComponent(String(r.pathValues[i++] || 'x')),
        );
        let call = request(backend.server)[r.operation.method](
          `/api/multicluster${url}`,
        );
        const query: Record<string, unknown> = { ...r.query };
        // Half the time the spec's own parameter names, so checks past the validator run too.
        r.operation.query.forEach((name: string, j: number) => {
          if (j % 2 === 0 && r.useFields) query[name] = r.pathValues[j % 3];
        });
        call = call.query(query as Record<string, string>);
        if (r.operation.method === 'post') {
          const body = r.useFields
            ? Object.fromEntries(
                r.operation.fields.map((f: string, j: number) => [
                  f,
                  r.fieldValues[j % 8],
                ]),
              )
            : r.body;
          call = r.raw
            ? call.set('content-type', 'application/json').send(r.raw)
            : call
                .set('content-type', 'application/json')
                .send(JSON.stringify(body));
        }
        const res = await call;
        const text = res.text ?? '';
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect({ status: res.status, url: url.slice(0, 80) }).toEqual({
          status: expect.any(Number),
          url: url.slice(0, 80),
        });
        if (res.status >= 500)
          throw new Error(
            `500 for ${r.operation.method} ${url}: ${text.slice(0, 300)}`,
          );
        expect(text).not.toMatch(/\n\s+at |node_modules|\/work\//);
        expect(text).not.toContain('fuzz-token-s3cr3t');
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(64 * 1024);
      }),
      { numRuns: 400, seed: 20260101 },
    );
    // The runs reached handlers, not only the validator: successes, 404s and 413s too.
    expect([...statuses.keys()]).toEqual(
      expect.arrayContaining([200, 400, 404]),
    );
  });
});
