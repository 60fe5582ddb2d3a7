/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { DiscoveredCluster } from '@archipelago/multicluster-node';
import request from 'supertest';
import {
  fakeDrivers,
  fakeEnvironmentsConfig,
} from '../environments/__testUtils__/fakes';
import {
  type PluginHandle,
  startMulticlusterPlugin,
} from '../service/__testUtils__/startPlugin';

jest.setTimeout(60_000);

const cluster = (
  name: string,
  labels: Record<string, string>,
): DiscoveredCluster => ({
  sourceId: name,
  name,
  // Nothing listens on port 9: probes are quick refusals.
  url: `https://127.0.0.1:9/${name}`,
  credentials: async () => ({ type: 'anonymous' }),
  cloud: 'aws',
  labels,
});

describe("the plugin's actions, through the actions registry", () => {
  let backend: PluginHandle;
  let allowCreate = true;

  beforeAll(async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async reqs =>
        reqs.map(() => ({
          result: allowCreate ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        })),
      authorizeConditional: async reqs =>
        reqs.map(() => ({ result: AuthorizeResult.ALLOW })),
    });
    backend = await startMulticlusterPlugin({
      config: {
        multicluster: {
          discovery: { intervalSeconds: 3600 },
          health: { intervalSeconds: 3600, timeoutSeconds: 1 },
          environments: fakeEnvironmentsConfig().multicluster.environments,
        },
      },
      drivers: Object.values(fakeDrivers()),
      providers: [
        {
          getProviderId: () => 'test',
          discover: async () => ({
            complete: true,
            clusters: [
              cluster('alpha', { env: 'prod' }),
              cluster('beta', { env: 'dev' }),
            ],
          }),
        },
      ],
      permissions,
      // The owner of the environment the test creates.
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'team-a', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
      ],
      features: [actionsRegistryServiceFactory],
    });
    await request(backend.server).post('/api/multicluster/clusters/refresh');
  });
  afterAll(() => backend.stop());

  const user = mockCredentials.user.header('user:default/jane');
  const invoke = (name: string, input: unknown) =>
    request(backend.server)
      .post(
        `/api/multicluster/.backstage/actions/v1/actions/multicluster:${name}/invoke`,
      )
      .set('authorization', user)
      .send(input as object);

  it('lists the actions with their JSON schemas', async () => {
    const res = await request(backend.server)
      .get('/api/multicluster/.backstage/actions/v1/actions')
      .set('authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.actions.map((a: any) => a.name).sort()).toEqual([
      'create-environment',
      'destroy-environment',
      'get-cluster-health',
      'get-environment',
      'list-clusters',
      'list-environment-types',
      'preview-placement',
    ]);
    const destroy = res.body.actions.find(
      (a: any) => a.name === 'destroy-environment',
    );
    expect(destroy.attributes).toMatchObject({ destructive: true });
  });

  it('lists clusters with a selector, and a cluster health', async () => {
    const list = await invoke('list-clusters', { selector: 'env=prod' });
    expect(list.status).toBe(200);
    expect(list.body.output.items.map((c: any) => c.name)).toEqual(['alpha']);
    const health = await invoke('get-cluster-health', {
      id: list.body.output.items[0].id,
    });
    expect(health.status).toBe(200);
    expect(health.body.output.current.health).toBeDefined();
  });

  it('carries the server message of a bad input', async () => {
    const res = await invoke('list-clusters', { selector: 'team in (a' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^selector: .*Allowed syntax/);
    const missing = await invoke('get-environment', { name: 'ghost' });
    expect(missing.status).toBe(404);
  });

  it('plans, creates, reads and destroys an environment as the caller', async () => {
    const types = await invoke('list-environment-types', {});
    expect(types.body.output.items.map((t: any) => t.type)).toEqual(['small']);
    const body = {
      name: 'agent-env',
      type: 'small',
      cloud: 'local',
      owner: 'group:default/team-a',
    };
    const plan = await invoke('create-environment', { ...body, dryRun: true });
    expect(plan.body.output).toMatchObject({
      outcome: 'planned',
      plan: { type: 'small', cloud: 'local' },
    });
    const created = await invoke('create-environment', body);
    expect(created.status).toBe(200);
    expect(created.body.output.outcome).toBe('created');
    const read = await invoke('get-environment', { name: 'agent-env' });
    expect(read.body.output.environment.owner).toBe('group:default/team-a');
    const destroyed = await invoke('destroy-environment', {
      name: 'agent-env',
    });
    expect(destroyed.status).toBe(200);
    expect(destroyed.body.output.environment.name).toBe('agent-env');
  });

  it("runs with the caller's permissions", async () => {
    allowCreate = false;
    try {
      const res = await invoke('create-environment', {
        name: 'denied-env',
        type: 'small',
        cloud: 'local',
        owner: 'group:default/team-a',
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'multicluster.environment.create',
      );
    } finally {
      allowCreate = true;
    }
  });

  it('previews a placement', async () => {
    const res = await invoke('preview-placement', {
      placement: { clusterSelector: 'env' },
      replicas: { totalReplicas: 4, preferences: { '*': { weight: 1 } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.output.excluded).toEqual([
      expect.objectContaining({ reason: expect.any(String) }),
      expect.objectContaining({ reason: expect.any(String) }),
    ]);
  });
});
