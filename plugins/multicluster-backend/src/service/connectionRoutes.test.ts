/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  type ClusterRole,
  type DiscoveredCluster,
  multiclusterClusterConditions,
} from '@archipelago/multicluster-node';
import { waitFor } from '@archipelago/multicluster-node-test-utils';
import type { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  type PluginHandle,
  startMulticlusterPlugin,
} from './__testUtils__/startPlugin';

jest.setTimeout(60_000);

const token = (cluster: string, role: string) => `${role}-token-of-${cluster}`;

/** The credentials resolvers asked for, by role. */
const asked: Array<{ cluster: string; role: ClusterRole | 'shared' }> = [];

// Nothing listens on port 9 of 127.0.0.1: probes are quick connection refusals.
const cluster = (name: string, team: string): DiscoveredCluster => {
  const resolver = (role: ClusterRole | 'shared') => async () => {
    asked.push({ cluster: name, role });
    return { type: 'bearer' as const, token: token(name, role) };
  };
  return {
    sourceId: name,
    name,
    url: `https://127.0.0.1:9/${name}`,
    credentials: resolver('shared'),
    roleCredentials: {
      probe: resolver('probe'),
      view: resolver('view'),
      deploy: resolver('deploy'),
    },
    cloud: 'aws',
    labels: { team },
  };
};

/** Alice is on team a: she may read and deploy to team a's clusters only. */
const teamA = multiclusterClusterConditions.hasLabel({
  key: 'team',
  value: 'a',
});
const permissions: PermissionsService = {
  async authorize(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
  async authorizeConditional(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r =>
      user === 'user:default/alice'
        ? {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'multicluster',
            resourceType: r.permission.resourceType!,
            conditions: teamA,
          }
        : { result: AuthorizeResult.ALLOW },
    ) as any;
  },
};

const asPlugin = (plugin: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(`plugin:${plugin}`),
    targetPluginId: 'multicluster',
  });
/** What a plugin's token on behalf of a user authenticates as: the user, with the plugin as actor. */
const asPluginFor = (plugin: string, user: string) =>
  `Bearer ${mockCredentials.user.token(user, {
    actor: { subject: `plugin:${plugin}` },
  })}`;

describe('/internal/connections by role', () => {
  let handle: PluginHandle;
  let ids: Record<string, string>;

  async function start(config: JsonObject) {
    handle = await startMulticlusterPlugin({
      providers: [
        {
          getProviderId: () => 'test',
          discover: async () => ({
            complete: true,
            clusters: [cluster('alpha', 'a'), cluster('beta', 'b')],
          }),
        },
      ],
      permissions,
      config: {
        ...config,
        multicluster: {
          ...(config.multicluster as JsonObject),
          health: { timeoutSeconds: 1 },
          discovery: { intervalSeconds: 3600 },
          environments: {
            secretKey: 'test-only-environments-key-0123456789abcdef',
            dataDir: path.join(os.tmpdir(), 'mc-test-environments'),
          },
        },
      },
    });
    expect(
      (await request(handle.server).post('/api/multicluster/clusters/refresh'))
        .status,
    ).toBe(202);
    const items = await waitFor(
      async () => {
        const res = await request(handle.server).get(
          '/api/multicluster/clusters',
        );
        return res.body.items?.length === 2 ? res.body.items : undefined;
      },
      { what: 'two clusters in the inventory' },
    );
    ids = Object.fromEntries(items.map((c: any) => [c.name, c.id]));
  }

  const connections = (query: string, authorization: string) =>
    request(handle.server)
      .get(`/api/multicluster/internal/connections?${query}`)
      .set('authorization', authorization);

  describe('with a role map', () => {
    beforeAll(() =>
      start({
        multicluster: {
          connections: {
            allowedPlugins: { view: ['kubernetes'], deploy: ['scaffolder'] },
          },
        },
      }),
    );
    afterAll(() => handle?.stop());

    it('gives the Kubernetes plugin the view identity of every cluster', async () => {
      const res = await connections(
        `ids=${ids.alpha},${ids.beta}`,
        asPlugin('kubernetes'),
      );
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(
        res.body.items.map((i: any) => [i.name, i.serviceAccountToken]),
      ).toEqual(
        [
          ['alpha', token('alpha', 'view')],
          ['beta', token('beta', 'view')],
        ].sort((x, y) => (ids[x[0]] < ids[y[0]] ? -1 : 1)),
      );
    });

    it('never gives the Kubernetes plugin the deploy identity', async () => {
      const res = await connections(
        `ids=${ids.alpha}&role=deploy`,
        asPlugin('kubernetes'),
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Connection details with the deploy identity are only served to the plugins in multicluster.connections.allowedPlugins.deploy',
      );
      expect(res.text).not.toContain('token-of');
    });

    it('gives the deploy identity only on behalf of a user, for the clusters they may deploy to', async () => {
      const alone = await connections(
        `ids=${ids.alpha}&role=deploy`,
        asPlugin('scaffolder'),
      );
      expect(alone.status).toBe(403);
      expect(alone.body.error.message).toMatch(
        /only served on behalf of a user/,
      );

      const forAlice = await connections(
        `ids=${ids.alpha}&role=deploy`,
        asPluginFor('scaffolder', 'user:default/alice'),
      );
      expect(forAlice.status).toBe(200);
      expect(forAlice.body.items).toEqual([
        expect.objectContaining({
          name: 'alpha',
          authProvider: 'serviceAccount',
          serviceAccountToken: token('alpha', 'deploy'),
        }),
      ]);

      const notHers = await connections(
        `ids=${ids.alpha},${ids.beta}&role=deploy`,
        asPluginFor('scaffolder', 'user:default/alice'),
      );
      expect(notHers.status).toBe(403);
      expect(notHers.body.error.message).toBe(
        'You are not allowed to deploy to beta (multicluster.cluster.deploy)',
      );
      expect(notHers.text).not.toContain('token-of');
    });

    it('on behalf of a user, gives the view identity of the clusters they may read only', async () => {
      const res = await connections(
        `ids=${ids.alpha},${ids.beta}`,
        asPluginFor('kubernetes', 'user:default/alice'),
      );
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: any) => i.name)).toEqual(['alpha']);
    });

    it('answers no browser, and no plugin outside the list', async () => {
      const browser = await connections(
        `ids=${ids.alpha}`,
        mockCredentials.user.header('user:default/alice'),
      );
      expect(browser.status).toBe(403);
      const catalog = await connections(
        `ids=${ids.alpha}`,
        asPlugin('catalog'),
      );
      expect(catalog.status).toBe(403);
      expect(catalog.body.error.message).toMatch(/allowedPlugins\.view/);
    });

    it('refuses an unknown role, naming the allowed ones', async () => {
      const res = await connections(
        `ids=${ids.alpha}&role=admin`,
        asPlugin('kubernetes'),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/role.*view.*deploy/);
    });

    it('probes with the probe identity and hands out no shared one', async () => {
      expect(
        (
          await request(handle.server)
            .post('/api/multicluster/clusters/refresh')
            .set('authorization', mockCredentials.user.header())
        ).status,
      ).toBe(202);
      await waitFor(
        async () => (asked.some(a => a.role === 'probe') ? true : undefined),
        { what: 'a probe round' },
      );
      expect(asked.filter(a => a.role === 'shared')).toEqual([]);
    });
  });

  describe('with the list form', () => {
    beforeAll(() =>
      start({
        multicluster: {
          connections: { allowedPlugins: ['kubernetes', 'scaffolder'] },
        },
      }),
    );
    afterAll(() => handle?.stop());

    it('keeps working: view for the listed plugins, deploy on behalf of a user', async () => {
      const view = await connections(`ids=${ids.beta}`, asPlugin('scaffolder'));
      expect(view.body.items[0].serviceAccountToken).toBe(
        token('beta', 'view'),
      );
      const deploy = await connections(
        `ids=${ids.alpha}&role=deploy`,
        asPluginFor('scaffolder', 'user:default/alice'),
      );
      expect(deploy.body.items[0].serviceAccountToken).toBe(
        token('alpha', 'deploy'),
      );
    });
  });
});
