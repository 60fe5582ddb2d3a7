/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { RouterOptions } from '../service/router';
import { createRouter } from '../service/router';
import { ENDPOINTS } from './endpoints';
import { spec } from './openapi.generated';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `METHOD /path/{param}` of every operation in a spec. */
function specOperations(doc: any): string[] {
  return Object.entries(doc.paths as Record<string, any>).flatMap(([p, item]) =>
    METHODS.filter(m => item[m]).map(m => `${m.toUpperCase()} ${p}`),
  );
}

/** `METHOD /path/{param}` of every route an express router serves, nested routers included. */
function servedRoutes(router: any): string[] {
  return router.stack.flatMap((layer: any) => {
    if (layer.route) {
      return Object.keys(layer.route.methods).map(
        m =>
          `${m.toUpperCase()} ${String(layer.route.path).replace(
            /:([A-Za-z]+)/g,
            '{$1}',
          )}`,
      );
    }
    return Array.isArray(layer.handle?.stack) ? servedRoutes(layer.handle) : [];
  });
}

describe('the REST contract', () => {
  const yaml = YAML.parse(
    fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
  );

  it('the generated spec module is the YAML (run npm run schema:generate)', () => {
    expect(JSON.parse(JSON.stringify(spec))).toEqual(yaml);
  });

  it('the typed EndpointMap has exactly the operations of the spec', () => {
    const typed = Object.keys(ENDPOINTS).map(key => {
      const [, method, p] = /^#_?(\w+)\|(.*)$/.exec(key)!;
      return `${method.toUpperCase()} ${p}`;
    });
    expect(typed.sort()).toEqual(specOperations(yaml).sort());
  });

  it('every route the plugin serves is in the spec, and every operation is served', async () => {
    // Only the wiring is inspected: no handler runs, so the services are placeholders.
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      environments: {} as RouterOptions['environments'],
      workloads: {} as RouterOptions['workloads'],
    } as unknown as RouterOptions);
    // backend-openapi-utils serves the document itself at /openapi.json.
    const served = servedRoutes(router).filter(r => r !== 'GET /openapi.json');
    expect(new Set(served).size).toBe(served.length);
    expect(served.sort()).toEqual(specOperations(yaml).sort());
  });

  it('every operation has an id, documents its 400 and names no absolute server', () => {
    for (const [p, item] of Object.entries(yaml.paths as Record<string, any>)) {
      for (const m of METHODS) {
        if (!item[m]) continue;
        expect({ op: `${m} ${p}`, id: typeof item[m].operationId }).toEqual({
          op: `${m} ${p}`,
          id: 'string',
        });
        expect(item[m].responses['400']).toBeDefined();
      }
    }
    expect(yaml.servers).toEqual([{ url: '/' }]);
  });
});
