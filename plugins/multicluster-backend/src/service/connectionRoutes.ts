/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type ClusterConnectionRole,
  type ConnectionDetails,
  multiclusterClusterDeployPermission,
  multiclusterClusterReadPermission,
} from '@archipelago/multicluster-common';
import {
  credentialsForRole,
  mapWithConcurrency,
} from '@archipelago/multicluster-node';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { ClusterConnection } from '../inventory/ConnectionRegistry';
import type { ProbeTarget } from '../inventory/types';
import { redactText } from '../util/redact';
import { csv } from './queryParams';
import type { MulticlusterRouter, RouteContext, RouterOptions } from './router';

const ROLES: ClusterConnectionRole[] = ['view', 'deploy'];
/** How many refused clusters a 403 names. */
const NAMED_IN_ERRORS = 10;
/** Credentials resolved at once for one answer. */
const RESOLVE_CONCURRENCY = 16;

/** Who calls: the plugin (from its service token) and the user it acts for, if any. */
export interface ConnectionCaller {
  plugin: string;
  user?: BackstageCredentials;
}

/**
 * The calling plugin and user, from credentials httpAuth verified: a plugin's
 * own service token, or one it obtained on behalf of a user (the user
 * principal then names the plugin as its `actor`). A user's token from a
 * browser has no actor: no plugin, no answer.
 */
export function connectionCaller(
  credentials: BackstageCredentials,
): ConnectionCaller | undefined {
  const principal = credentials.principal as
    | { type: 'service'; subject: string }
    | { type: 'user'; actor?: { type: 'service'; subject: string } }
    | { type: string };
  const pluginOf = (subject: string) =>
    subject.startsWith('plugin:') ? subject.slice('plugin:'.length) : undefined;
  if (principal.type === 'service' && 'subject' in principal) {
    const plugin = pluginOf(principal.subject);
    return plugin ? { plugin } : undefined;
  }
  if (principal.type === 'user' && 'actor' in principal && principal.actor) {
    const plugin = pluginOf(principal.actor.subject);
    return plugin ? { plugin, user: credentials } : undefined;
  }
  return undefined;
}

/**
 * The internal connections endpoint: how to reach clusters, with the
 * credentials of one role. Trust model: Backstage service tokens are signed
 * per plugin and verified by httpAuth, so the calling plugin is authentic;
 * only the plugins `multicluster.connections.allowedPlugins` lists for the
 * role get an answer. `view` is the identity Backstage's Kubernetes plugin
 * reads with; on behalf of a user it covers the clusters they may read.
 * `deploy` writes, so it is answered only on behalf of a user who holds
 * `multicluster.cluster.deploy` on every cluster asked for. Browsers never
 * get an answer, and every read is audited.
 * @internal
 */
export function addConnectionRoutes(
  router: MulticlusterRouter,
  context: RouteContext,
  options: RouterOptions,
): void {
  const { store, httpAuth, permissions } = options;

  /** The ids the user may act on with `permission` (all of them when allowed outright). */
  async function permitted(
    ids: string[],
    permission: ResourcePermission<'multicluster-cluster'>,
    user: BackstageCredentials,
  ): Promise<Set<string>> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials: user },
    );
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      return store.accessibleIds(
        ids,
        options.transformConditions(decision.conditions),
      );
    }
    return decision.result === AuthorizeResult.ALLOW
      ? new Set(ids)
      : new Set();
  }

  router.get('/internal/connections', async (req, res) => {
    const ids = [...new Set(csv<string>(req.query.ids) ?? [])];
    const role = (req.query.role ?? 'view') as ClusterConnectionRole;
    if (!ROLES.includes(role)) {
      throw new InputError(`role: must be one of ${ROLES.join(', ')}`);
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['service', 'user'],
    });
    const caller = connectionCaller(credentials);
    const allowed = options.connectionCallers[role] ?? [];
    if (!caller || !allowed.includes(caller.plugin)) {
      throw new NotAllowedError(
        `Connection details with the ${role} identity are only served to the plugins in multicluster.connections.allowedPlugins.${role}`,
      );
    }
    if (role === 'deploy' && !caller.user) {
      throw new NotAllowedError(
        'Connection details with the deploy identity are only served on behalf of a user who holds multicluster.cluster.deploy',
      );
    }
    await context.audited(
      req,
      'cluster-connection-read',
      {
        caller: caller.plugin,
        role,
        ...(caller.user
          ? {
              onBehalfOf: (caller.user.principal as { userEntityRef: string })
                .userEntityRef,
            }
          : {}),
        count: String(ids.length),
      },
      async () => {
        // By name, so callers (and their caches) see a stable order.
        let targets = (await store.listProbeTargets(ids)).sort((a, b) =>
          a.name.localeCompare(b.name),
        );
        if (caller.user) {
          const permission =
            role === 'deploy'
              ? multiclusterClusterDeployPermission
              : multiclusterClusterReadPermission;
          const ok = await permitted(
            targets.map(t => t.id),
            permission,
            caller.user,
          );
          const refused = targets.filter(t => !ok.has(t.id));
          if (role === 'deploy' && refused.length) {
            const names = refused.slice(0, NAMED_IN_ERRORS).map(t => t.name);
            throw new NotAllowedError(
              `You are not allowed to deploy to ${names.join(', ')}${
                refused.length > names.length
                  ? ` and ${refused.length - names.length} more clusters`
                  : ''
              } (multicluster.cluster.deploy)`,
            );
          }
          // Clusters the user may not read are left out, as unknown ids are.
          targets = targets.filter(t => ok.has(t.id));
        }
        // Bounded: credential plugins may start a process each.
        const items = await mapWithConcurrency(
          targets,
          RESOLVE_CONCURRENCY,
          async target =>
            connectionDetails(
              target,
              await options.connectionFor(target.urlKey),
              role,
            ),
        );
        res.setHeader('Cache-Control', 'no-store');
        res.json({ items });
      },
      'medium',
    );
  });
}

/**
 * One cluster's connection details with the identity of `role`. The view
 * role honours the auth provider a discovery provider declared for
 * Backstage's Kubernetes plugin (aws, google…); deploy always resolves the
 * deploy identity itself, since a writer authenticates on its own.
 */
async function connectionDetails(
  cluster: Pick<ProbeTarget, 'id' | 'name' | 'url' | 'health'>,
  connection: ClusterConnection | undefined,
  role: ClusterConnectionRole,
): Promise<ConnectionDetails> {
  const base = {
    id: cluster.id,
    name: cluster.name,
    url: cluster.url,
    skipTLSVerify: connection?.skipTLSVerify ?? false,
    health: cluster.health,
    ...(connection?.caData
      ? { caData: Buffer.from(connection.caData).toString('base64') }
      : {}),
  };
  if (!connection) {
    return {
      ...base,
      authProvider: 'serviceAccount',
      unsupported: 'no provider currently offers a connection',
    };
  }
  if (role === 'view' && connection.kubernetesPluginAuth) {
    return {
      ...base,
      authProvider: connection.kubernetesPluginAuth.authProvider,
      ...(connection.kubernetesPluginAuth.metadata
        ? { authMetadata: connection.kubernetesPluginAuth.metadata }
        : {}),
    };
  }
  try {
    const creds = await credentialsForRole(
      connection,
      role,
    )({
      signal: AbortSignal.timeout(30_000),
    });
    if (creds.type === 'bearer') {
      return {
        ...base,
        authProvider: 'serviceAccount',
        serviceAccountToken: creds.token,
      };
    }
    if (creds.type === 'anonymous') {
      return { ...base, authProvider: 'serviceAccount' };
    }
    return {
      ...base,
      authProvider: 'serviceAccount',
      unsupported:
        'client-certificate credentials cannot be handed to another plugin',
    };
  } catch (error) {
    return {
      ...base,
      authProvider: 'serviceAccount',
      unsupported: `credentials unavailable: ${redactText(
        String((error as Error).message),
      ).slice(0, 200)}`,
    };
  }
}
