/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createMulticlusterService } from '@archipelago/multicluster-node';
import { mockServices } from '@backstage/backend-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createEnvironmentCreateAction } from './environmentCreate';
import { createEnvironmentDestroyAction } from './environmentDestroy';
import { createEnvironmentGetAction } from './environmentGet';

const FAKE_CAPABILITIES: Record<
  string,
  (env: string) => Record<string, unknown>
> = {
  database: env => ({
    host: 'db.local',
    port: 5432,
    database: 'app',
    master_username: 'app',
    master_password: {
      secretRef: `multicluster:environment/${env}/database/master_password`,
    },
  }),
  // `unexpected` is an object that is not a secret reference: the action must drop it.
  kubernetes: env => ({
    endpoint: 'https://127.0.0.1:6443',
    cluster_id: `archi-${env}-kubernetes`,
    version: 'v1.31.4',
    unexpected: { token: 'must-not-leak' },
  }),
  network: env => ({
    network_id: `net-${env}`,
    subnet_ids: ['10.0.0.0/24'],
    region: 'local',
  }),
};

/**
 * A stand-in for the multicluster plugin's environments API (the contract in
 * ARCHITECTURE.md): environments advance one step per GET, and every request
 * must carry a bearer token.
 */
class FakeEnvironmentsApi {
  envs = new Map<string, any>();
  events = new Map<string, any[]>();
  requests: Array<{ method: string; path: string; auth?: string; body?: any }> =
    [];
  failNext?: string;
  private nextId = 1;
  server?: Server;

  private event(
    name: string,
    message: string,
    component?: string,
    level = 'info',
  ) {
    this.events.get(name)!.push({
      id: this.nextId++,
      at: new Date().toISOString(),
      level,
      component,
      message,
    });
  }

  private advance(env: any) {
    if (env.status === 'provisioning') {
      const next = env.components.find((c: any) => c.status !== 'ready');
      if (!next) {
        env.status = 'ready';
        env.clusterId = `archi-${env.name}-kubernetes-0a1b2c3d`;
        this.event(env.name, 'Ready in 1.0s');
      } else if (this.failNext === next.key) {
        next.status = 'failed';
        env.status = 'failed';
        env.reason = `component ${next.key} (fake) failed: quota exceeded; everything created was rolled back`;
        this.event(
          env.name,
          `${next.key} failed: quota exceeded`,
          next.key,
          'error',
        );
      } else {
        next.status = 'ready';
        next.capabilities = FAKE_CAPABILITIES[next.key](env.name);
        this.event(env.name, `Creating ${next.key}`, next.key);
        this.event(env.name, `${next.key} ready in 0.1s`, next.key);
      }
    } else if (env.status === 'destroying') {
      env.status = 'destroyed';
      env.components.forEach((c: any) => {
        c.status = 'deleted';
        c.capabilities = {};
      });
      this.event(env.name, 'Destroyed in 0.2s');
    }
  }

  async start(): Promise<string> {
    const app = express();
    app.use(express.json());
    app.use((req, res, next) => {
      this.requests.push({
        method: req.method,
        path: req.originalUrl,
        auth: req.header('authorization'),
        body: req.body,
      });
      if (!req.header('authorization')?.startsWith('Bearer ')) {
        res.status(401).json({
          error: { name: 'AuthenticationError', message: 'no token' },
        });
        return;
      }
      next();
    });
    const base = '/api/multicluster';
    app.post(`${base}/environments`, (req, res) => {
      const body = req.body;
      if (body.type !== 'dev-small') {
        res.status(400).json({
          error: {
            name: 'InputError',
            message: `Invalid create environment request: type: unknown environment type "${body.type}"; allowed: dev-small`,
          },
          response: { statusCode: 400 },
        });
        return;
      }
      if (req.query.dryRun === 'true') {
        res.json({
          dryRun: true,
          plan: {
            type: body.type,
            cloud: body.cloud,
            components: [
              {
                key: 'network',
                kind: 'network',
                template: 'local-network-small',
                driver: 'local-network',
                dependsOn: [],
              },
              {
                key: 'database',
                kind: 'database',
                template: 'postgres-shared',
                driver: 'postgres-database',
                dependsOn: [],
              },
              {
                key: 'kubernetes',
                kind: 'kubernetes',
                template: 'emulated-cluster-small',
                driver: 'emulator-cluster',
                dependsOn: ['network'],
              },
            ],
            stages: [['database', 'network'], ['kubernetes']],
          },
        });
        return;
      }
      const existing = this.envs.get(body.name);
      if (existing) {
        res.status(200).json(existing);
        return;
      }
      const env = {
        ...body,
        status: 'provisioning',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        components: ['network', 'database', 'kubernetes'].map(key => ({
          key,
          kind: key,
          template: 't',
          driver: 'd',
          status: 'pending',
          capabilities: {},
        })),
      };
      this.envs.set(body.name, env);
      this.events.set(body.name, []);
      this.event(body.name, 'Requested');
      res.status(201).json(env);
    });
    app.get(`${base}/environments/:name`, (req, res) => {
      const env = this.envs.get(req.params.name);
      if (!env) {
        res.status(404).json({
          error: {
            name: 'NotFoundError',
            message: `No environment named ${req.params.name}`,
          },
        });
        return;
      }
      this.advance(env);
      res.json(env);
    });
    app.get(`${base}/environments/:name/events`, (req, res) => {
      const after = Number(req.query.after ?? 0);
      res.json({
        items: (this.events.get(req.params.name) ?? []).filter(
          e => e.id > after,
        ),
      });
    });
    app.delete(`${base}/environments/:name`, (req, res) => {
      const env = this.envs.get(req.params.name);
      if (!env) {
        res
          .status(404)
          .json({ error: { name: 'NotFoundError', message: 'none' } });
        return;
      }
      if (env.status !== 'destroyed') env.status = 'destroying';
      res.status(202).json(env);
    });
    this.server = await new Promise<Server>(resolve => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

function capture(): LoggerService & { lines: Array<[string, string]> } {
  const lines: Array<[string, string]> = [];
  const logger: any = {
    lines,
    info: (m: string) => lines.push(['info', m]),
    warn: (m: string) => lines.push(['warn', m]),
    error: (m: string) => lines.push(['error', m]),
    debug: () => undefined,
    child: () => logger,
  };
  return logger;
}

describe('multicluster:environment:* actions', () => {
  const fake = new FakeEnvironmentsApi();
  let options: Parameters<typeof createEnvironmentCreateAction>[0];

  beforeAll(async () => {
    const url = await fake.start();
    options = {
      multicluster: createMulticlusterService({
        auth: mockServices.auth(),
        discovery: { getBaseUrl: async (id: string) => `${url}/api/${id}` },
      }),
      auth: mockServices.auth(),
      pollIntervalMs: 5,
    };
  });
  afterAll(
    () => new Promise<void>(resolve => fake.server!.close(() => resolve())),
  );
  beforeEach(() => {
    fake.requests = [];
    fake.failNext = undefined;
  });

  const context = (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const logger = capture();
    const ctx = {
      ...createMockActionContext({ input: input as JsonObject }),
      logger,
      ...extra,
    } as any;
    return {
      ctx,
      logger,
      outputs: () => Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  };

  const input = {
    name: 'demo',
    type: 'dev-small',
    cloud: 'local',
    owner: 'group:default/team-a',
    wait: true,
    onFailure: 'rollback',
    timeoutMinutes: 1,
  };

  it('creates an environment, logs each component, and outputs capabilities without secrets', async () => {
    const { ctx, logger, outputs } = context(input);
    await createEnvironmentCreateAction(options).handler(ctx);
    const out = outputs();
    expect(out.environmentRef).toBe('resource:default/demo');
    expect(out.name).toBe('demo');
    expect(out.status).toBe('ready');
    expect(out.clusterId).toBe('archi-demo-kubernetes-0a1b2c3d');
    expect(out.capabilities.database).toEqual({
      host: 'db.local',
      port: 5432,
      database: 'app',
      master_username: 'app',
      master_password: {
        secretRef: 'multicluster:environment/demo/database/master_password',
      },
    });
    // Anything object-valued that is not a secret reference is dropped.
    expect(out.capabilities.kubernetes.unexpected).toBeUndefined();
    expect(JSON.stringify(out)).not.toContain('must-not-leak');
    const lines = logger.lines.map(l => l[1]);
    expect(lines).toEqual(
      expect.arrayContaining([
        '[network] Creating network',
        '[database] database ready in 0.1s',
        '[kubernetes] kubernetes ready in 0.1s',
        'Ready in 1.0s',
      ]),
    );
    // Each event once, in order.
    expect(lines.filter(l => l === '[network] Creating network')).toHaveLength(
      1,
    );
    expect(lines.indexOf('[network] Creating network')).toBeLessThan(
      lines.indexOf('[kubernetes] kubernetes ready in 0.1s'),
    );
    // Service-to-service: every call carried a token.
    expect(fake.requests.every(r => r.auth?.startsWith('Bearer '))).toBe(true);
    expect(fake.requests[0].body).toEqual({
      name: 'demo',
      type: 'dev-small',
      cloud: 'local',
      owner: 'group:default/team-a',
      inputs: {},
      onFailure: 'rollback',
    });
  });

  it('is idempotent: a recovered task skips the create its checkpoint recorded', async () => {
    const stored = new Map<string, unknown>();
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<unknown>;
    }) => {
      if (!stored.has(key)) stored.set(key, await fn());
      return stored.get(key);
    };
    const first = context({ ...input, name: 'again' }, { checkpoint });
    await createEnvironmentCreateAction(options).handler(first.ctx);
    fake.requests = [];
    const recovered = context({ ...input, name: 'again' }, { checkpoint });
    await createEnvironmentCreateAction(options).handler(recovered.ctx);
    expect(fake.requests.filter(r => r.method === 'POST')).toEqual([]);
    expect(recovered.outputs().status).toBe('ready');
  });

  it('reports the plan on a dry run and creates nothing', async () => {
    const { ctx, logger, outputs } = context(
      { ...input, name: 'planned' },
      { isDryRun: true },
    );
    await createEnvironmentCreateAction(options).handler(ctx);
    expect(outputs()).toEqual({
      environmentRef: 'resource:default/planned',
      name: 'planned',
      status: 'planned',
      capabilities: {},
      clusterId: '',
    });
    expect(logger.lines.map(l => l[1])).toEqual([
      'Dry run: dev-small on local would create 3 components',
      '  stage 1, in parallel: database (database: template postgres-shared, driver postgres-database); network (network: template local-network-small, driver local-network)',
      '  stage 2: kubernetes (kubernetes: template emulated-cluster-small, driver emulator-cluster)',
    ]);
    expect(fake.envs.has('planned')).toBe(false);
    expect(fake.requests.map(r => r.path)).toEqual([
      '/api/multicluster/environments?dryRun=true',
    ]);
  });

  it('fails with the API message naming the field and allowed values', async () => {
    const { ctx } = context({ ...input, name: 'bad', type: 'huge' });
    const error = await createEnvironmentCreateAction(options)
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'Invalid create environment request: type: unknown environment type "huge"; allowed: dev-small',
    );
  });

  it('fails the step with the reason when the environment fails', async () => {
    fake.failNext = 'database';
    const { ctx, logger, outputs } = context({ ...input, name: 'broken' });
    await expect(
      createEnvironmentCreateAction(options).handler(ctx),
    ).rejects.toThrow(
      'Environment broken failed: component database (fake) failed: quota exceeded; everything created was rolled back',
    );
    expect(outputs().status).toBe('failed');
    expect(logger.lines).toContainEqual([
      'error',
      '[database] database failed: quota exceeded',
    ]);
  });

  it('returns at once with wait: false', async () => {
    const { ctx, outputs } = context({ ...input, name: 'async', wait: false });
    await createEnvironmentCreateAction(options).handler(ctx);
    expect(['provisioning', 'ready']).toContain(outputs().status);
  });

  it('destroys and waits; destroying what is gone succeeds', async () => {
    const { ctx, logger, outputs } = context({
      name: 'demo',
      wait: true,
      timeoutMinutes: 1,
    });
    await createEnvironmentDestroyAction(options).handler(ctx);
    expect(outputs()).toEqual({
      environmentRef: 'resource:default/demo',
      status: 'destroyed',
    });
    expect(logger.lines.map(l => l[1])).toContain('Destroyed in 0.2s');
    const none = context({ name: 'never-was', wait: true, timeoutMinutes: 1 });
    await createEnvironmentDestroyAction(options).handler(none.ctx);
    expect(none.outputs().status).toBe('destroyed');
    expect(none.logger.lines.map(l => l[1])).toContain(
      'There is no environment never-was; nothing to destroy',
    );
  });

  it('describes what a destroy dry run would do', async () => {
    const { ctx, logger, outputs } = context(
      { name: 'again', wait: true, timeoutMinutes: 1 },
      { isDryRun: true },
    );
    await createEnvironmentDestroyAction(options).handler(ctx);
    expect(outputs().status).toBe('planned');
    expect(logger.lines[0][1]).toBe(
      'Dry run: would destroy again (ready), in reverse order: kubernetes, database, network',
    );
    expect(fake.requests.some(r => r.method === 'DELETE')).toBe(false);
  });

  it('gets an environment, or reports it absent when allowed', async () => {
    const { ctx, outputs } = context({ name: 'again', allowMissing: false });
    await createEnvironmentGetAction(options).handler(ctx);
    expect(outputs()).toMatchObject({
      environmentRef: 'resource:default/again',
      status: 'ready',
      clusterId: 'archi-again-kubernetes-0a1b2c3d',
      components: [
        { key: 'network', kind: 'network', status: 'ready' },
        { key: 'database', kind: 'database', status: 'ready' },
        { key: 'kubernetes', kind: 'kubernetes', status: 'ready' },
      ],
    });
    await expect(
      createEnvironmentGetAction(options).handler(
        context({ name: 'nope', allowMissing: false }).ctx,
      ),
    ).rejects.toThrow('No environment named nope');
    const missing = context({ name: 'nope', allowMissing: true });
    await createEnvironmentGetAction(options).handler(missing.ctx);
    expect(missing.outputs().status).toBe('absent');
  });

  it('declares zod schemas the scaffolder turns into JSON schema', () => {
    const action = createEnvironmentCreateAction(options);
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples!.length).toBeGreaterThan(0);
    const schema = action.schema!.input as any;
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'type', 'cloud', 'owner']),
    );
    expect(schema.properties.cloud.enum).toEqual([
      'local',
      'aws',
      'azure',
      'gcp',
    ]);
    expect(schema.properties.onFailure.enum).toEqual(['rollback', 'keep']);
  });
});
