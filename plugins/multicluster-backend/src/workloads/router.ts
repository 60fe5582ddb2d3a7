/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  type Cluster,
  multiclusterClusterDeployPermission,
  multiclusterWorkloadReadPermission,
  multiclusterWorkloadWritePermission,
  type Workload,
  WORKLOAD_NAME_PATTERN,
  workloadRollbackRequestSchema,
  parseInput,
} from '@archipelago/multicluster-common';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type express from 'express';
import {
  isWorkloadOwnerRule,
  multiclusterWorkloadResourceRef,
} from '../permissions';
import type { MulticlusterRouter, RouteContext } from '../service/router';
import type { PreparedWorkload, WorkloadsService } from './service';
import type { DeployScope } from './store/records';

/** What the workload routes need. @internal */
export interface WorkloadRoutesOptions {
  service: WorkloadsService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  permissionsRegistry?: PermissionsRegistryService;
  inScope: (scope: DeployScope, cluster: Cluster) => boolean;
}

const authorizeWorkload = createConditionAuthorizer([isWorkloadOwnerRule]);

function principalRef(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user') return p.userEntityRef;
  if (p.type === 'service') return p.subject;
  return undefined;
}

/** The proposed workload as a permission condition sees it (its owner). */
const asResource = (prepared: PreparedWorkload) =>
  ({ owner: prepared.built.spec.owner } as Workload);

/**
 * The workload routes, added to the plugin's validated router:
 * `GET|POST /workloads`, `GET|PUT|DELETE /workloads/:name`, its events,
 * revisions, rollback, pause, resume and dns. Reads need
 * `multicluster.workload.read` (a caller who may not read a workload gets a
 * 404, never a 403); writes need `multicluster.workload.write` on the
 * workload as it is and as it will be, and `multicluster.cluster.deploy` on
 * every cluster its placement selects now — the writer's deploy scope is
 * stored with the revision, and the reconciler never places it outside.
 * @internal
 */
export function addWorkloadRoutes(
  router: MulticlusterRouter,
  context: Pick<RouteContext, 'audited'>,
  options: WorkloadRoutesOptions,
): {
  forEntity: (
    credentials: BackstageCredentials,
    entityRef: string,
    names: string[],
  ) => Promise<Workload[]>;
} {
  const { service, permissions, httpAuth } = options;
  const { audited } = context;
  if (options.permissionsRegistry) {
    options.permissionsRegistry.addResourceType({
      resourceRef: multiclusterWorkloadResourceRef,
      permissions: [
        multiclusterWorkloadReadPermission,
        multiclusterWorkloadWritePermission,
      ],
      rules: [isWorkloadOwnerRule],
      getResources: async names =>
        Promise.all(names.map(async n => (await service.get(n)) ?? undefined)),
    });
  }

  async function decide(
    credentials: BackstageCredentials,
    permission:
      | typeof multiclusterWorkloadReadPermission
      | typeof multiclusterWorkloadWritePermission,
  ): Promise<PolicyDecision> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  }

  /** The workload if the caller may read it; 404 otherwise (existence is not leaked). */
  async function readable(
    credentials: BackstageCredentials,
    name: string,
  ): Promise<Workload> {
    const workload = await service.get(name);
    const decision = workload
      ? await decide(credentials, multiclusterWorkloadReadPermission)
      : undefined;
    if (!workload || !decision || !authorizeWorkload(decision, workload))
      throw new NotFoundError(`No workload named ${name}`);
    return workload;
  }

  /** multicluster.workload.write on each given form of the workload. */
  async function mayWrite(
    credentials: BackstageCredentials,
    name: string,
    ...forms: Workload[]
  ) {
    const decision = await decide(
      credentials,
      multiclusterWorkloadWritePermission,
    );
    for (const form of forms) {
      if (!authorizeWorkload(decision, form))
        throw new NotAllowedError(
          `You are not allowed to change workload ${name} owned by ${form.owner} (multicluster.workload.write)`,
        );
    }
  }

  /**
   * The caller's deploy scope, checked against the clusters a placement
   * selects now: each must be deployable by them.
   */
  async function deployScope(
    credentials: BackstageCredentials,
    selected: Cluster[],
  ): Promise<DeployScope> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: multiclusterClusterDeployPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return { all: true };
    if (decision.result !== AuthorizeResult.CONDITIONAL)
      throw new NotAllowedError(
        'You are not allowed to deploy to clusters (multicluster.cluster.deploy)',
      );
    const scope: DeployScope = { all: false, criteria: decision.conditions };
    const refused = selected.filter(c => !options.inScope(scope, c));
    if (refused.length)
      throw new NotAllowedError(
        `You are not allowed to deploy to ${refused
          .map(c => c.name)
          .join(
            ', ',
          )} (multicluster.cluster.deploy), which the placement selects`,
      );
    return scope;
  }

  const name = (req: express.Request) => String(req.params.name);

  router.get('/workloads', async (req, res) => {
    const query = req.query;
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    let after: string | undefined;
    if (query.cursor) {
      after = Buffer.from(String(query.cursor), 'base64url').toString('utf8');
      if (!WORKLOAD_NAME_PATTERN.test(after))
        throw new InputError(
          'cursor: not a cursor returned by this API (pass nextCursor as is)',
        );
    }
    const ref = (field: string, value: unknown, defaultKind: string) => {
      if (value === undefined) return undefined;
      try {
        return stringifyEntityRef(
          parseEntityRef(String(value), {
            defaultKind,
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        throw new InputError(
          `${field}: must be an entity ref such as ${defaultKind}:default/name (${
            (error as Error).message
          })`,
        );
      }
    };
    const owner = ref('owner', query.owner, 'group');
    const entityRef = ref('entityRef', query.entityRef, 'component');
    await audited(req, 'workload-read', { queryType: 'list' }, async () => {
      const credentials = await httpAuth.credentials(req);
      const decision = await decide(
        credentials,
        multiclusterWorkloadReadPermission,
      );
      if (decision.result === AuthorizeResult.DENY)
        throw new NotAllowedError(
          'You are not allowed to read workloads (multicluster.workload.read)',
        );
      const all = (await service.list({ owner, entityRef })).filter(w =>
        authorizeWorkload(decision, w),
      );
      const start = after ? all.findIndex(w => w.name > after!) : 0;
      const from = start < 0 ? all.length : start;
      const items = all.slice(from, from + limit);
      res.json({
        items,
        totalItems: all.length,
        ...(from + limit < all.length
          ? {
              nextCursor: Buffer.from(
                items[items.length - 1].name,
                'utf8',
              ).toString('base64url'),
            }
          : {}),
      });
    });
  });

  router.post('/workloads', async (req, res) => {
    const dryRun = req.query.dryRun === 'true';
    await audited(
      req,
      'workload-create',
      { dryRun: String(dryRun) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const prepared = await service.prepare(req.body);
        const workloadName = prepared.built.spec.name;
        await mayWrite(credentials, workloadName, asResource(prepared));
        if (prepared.existing)
          throw new ConflictError(
            `The name ${workloadName} is taken by another workload; change an existing workload with PUT /workloads/${workloadName}`,
          );
        const scope = await deployScope(
          credentials,
          await service.selectedNow(prepared),
        );
        if (dryRun) {
          res.json(await service.plan(prepared, scope));
          return;
        }
        res
          .status(201)
          .json(
            await service.create(prepared, scope, principalRef(credentials)),
          );
      },
      'medium',
    );
  });

  router.get('/workloads/:name', async (req, res) => {
    await audited(
      req,
      'workload-read',
      { queryType: 'by-name', workload: name(req) },
      async () => {
        res.json(await readable(await httpAuth.credentials(req), name(req)));
      },
    );
  });

  router.put('/workloads/:name', async (req, res) => {
    const dryRun = req.query.dryRun === 'true';
    await audited(
      req,
      'workload-update',
      { workload: name(req), dryRun: String(dryRun) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const current = await readable(credentials, name(req));
        const prepared = await service.prepare(req.body, name(req));
        await mayWrite(credentials, name(req), current, asResource(prepared));
        const scope = await deployScope(
          credentials,
          await service.selectedNow(prepared),
        );
        if (dryRun) {
          res.json(await service.plan(prepared, scope));
          return;
        }
        const { workload } = await service.update(
          prepared,
          scope,
          principalRef(credentials),
        );
        res.json(workload);
      },
      'medium',
    );
  });

  router.delete('/workloads/:name', async (req, res) => {
    await audited(
      req,
      'workload-delete',
      { workload: name(req) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const current = await readable(credentials, name(req));
        await mayWrite(credentials, name(req), current);
        const record = await service.record(name(req));
        res.status(202).json(await service.delete(record));
      },
      'high',
    );
  });

  router.get('/workloads/:name/events', async (req, res) => {
    const after =
      req.query.after === undefined ? undefined : Number(req.query.after);
    const limit = req.query.limit === undefined ? 500 : Number(req.query.limit);
    await audited(
      req,
      'workload-read',
      { queryType: 'events', workload: name(req) },
      async () => {
        await readable(await httpAuth.credentials(req), name(req));
        res.json({ items: await service.events(name(req), { after, limit }) });
      },
    );
  });

  router.get('/workloads/:name/revisions', async (req, res) => {
    await audited(
      req,
      'workload-read',
      { queryType: 'revisions', workload: name(req) },
      async () => {
        await readable(await httpAuth.credentials(req), name(req));
        const record = await service.record(name(req));
        res.json({ items: await service.revisions(record) });
      },
    );
  });

  router.get('/workloads/:name/dns', async (req, res) => {
    await audited(
      req,
      'workload-read',
      { queryType: 'dns', workload: name(req) },
      async () => {
        const workload = await readable(
          await httpAuth.credentials(req),
          name(req),
        );
        res.json(await service.dns(workload));
      },
    );
  });

  router.post('/workloads/:name/rollback', async (req, res) => {
    const { revision } = parseInput(
      workloadRollbackRequestSchema,
      req.body,
      'rollback request',
    );
    await audited(
      req,
      'workload-rollback',
      { workload: name(req), revision: String(revision) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const current = await readable(credentials, name(req));
        const spec = await service.revisionSpec(name(req), revision);
        await mayWrite(
          credentials,
          name(req),
          current,
          ...(spec ? [{ owner: spec.owner } as Workload] : []),
        );
        const selected = spec
          ? await service.selectedNow({
              built: { spec, secrets: {}, plain: {} },
            } as PreparedWorkload)
          : [];
        const scope = await deployScope(credentials, selected);
        const record = await service.record(name(req));
        res.json(
          await service.rollback(
            record,
            revision,
            scope,
            principalRef(credentials),
          ),
        );
      },
      'medium',
    );
  });

  const pauseOrResume =
    (action: 'pause' | 'resume') =>
    async (req: express.Request, res: express.Response) => {
      await audited(
        req,
        `workload-${action}`,
        { workload: name(req) },
        async () => {
          const credentials = await httpAuth.credentials(req);
          const current = await readable(credentials, name(req));
          await mayWrite(credentials, name(req), current);
          const record = await service.record(name(req));
          res.json(await service.setPaused(record, action === 'pause'));
        },
        'medium',
      );
    };
  router.post('/workloads/:name/pause', pauseOrResume('pause'));
  router.post('/workloads/:name/resume', pauseOrResume('resume'));

  return {
    async forEntity(credentials, entityRef, names) {
      const decision = await decide(
        credentials,
        multiclusterWorkloadReadPermission,
      );
      if (decision.result === AuthorizeResult.DENY) return [];
      const byRef = await service.list({ entityRef });
      const named = names.length ? await service.list({ names }) : [];
      const seen = new Set<string>();
      return [...byRef, ...named].filter(w => {
        if (seen.has(w.name) || !authorizeWorkload(decision, w)) return false;
        seen.add(w.name);
        return true;
      });
    },
  };
}
