/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  createEnvironmentRequestSchema,
  extendEnvironmentRequestSchema,
  multiclusterEnvironmentSecretReadPermission,
  multiclusterEnvironmentUpdatePermission,
  parseInput,
  parseUpdateEnvironmentRequest,
  promoteEnvironmentRequestSchema,
  rollbackEnvironmentRequestSchema,
} from '@archipelago/multicluster-common';
import type { MulticlusterRouter, RouteContext } from '../service/router';
import { type EnvironmentAccess, ownerRef } from './access';
import { principalRef } from './principal';
import type { EnvironmentsService } from './service';

/**
 * The routes that change an environment that exists: `PUT` (update),
 * `POST …/heal`, `…/rollback`, `…/extend`, `…/promote`, and the reads that
 * go with them, `GET …/revisions` and the audited secret reveal. Each plans
 * first: `?dryRun=true` answers the plan and changes nothing; a refused
 * change writes nothing.
 * @internal
 */
export function addEnvironmentChangeRoutes(
  router: MulticlusterRouter,
  context: Pick<RouteContext, 'audited'>,
  options: {
    service: EnvironmentsService;
    httpAuth: HttpAuthService;
    access: EnvironmentAccess;
    requireCreate: (credentials: BackstageCredentials) => Promise<void>;
  },
): void {
  const { service, httpAuth, access } = options;
  const { audited } = context;
  const update = (credentials: BackstageCredentials, name: string) =>
    access.require(
      credentials,
      name,
      multiclusterEnvironmentUpdatePermission,
      'change',
    );

  router.put('/environments/:name', async (req, res) => {
    const { name } = req.params;
    const dryRun = req.query.dryRun === 'true';
    const request = parseUpdateEnvironmentRequest(req.body);
    await audited(
      req,
      'environment-update',
      {
        environment: name,
        ...(request.type ? { type: request.type } : {}),
        dryRun: String(dryRun),
      },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await update(credentials, name);
        const plan = await service.planUpdate(name, request);
        if (dryRun) {
          res.json({ dryRun: true, plan });
          return;
        }
        const env = await service.update(
          name,
          request,
          principalRef(credentials),
        );
        res.status(env.status === 'updating' ? 202 : 200).json(env);
      },
      'medium',
    );
  });

  router.post('/environments/:name/heal', async (req, res) => {
    const { name } = req.params;
    const dryRun = req.query.dryRun === 'true';
    await audited(
      req,
      'environment-heal',
      { environment: name, dryRun: String(dryRun) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await update(credentials, name);
        if (dryRun) {
          res.json({ dryRun: true, plan: await service.planHeal(name) });
          return;
        }
        res
          .status(202)
          .json(await service.heal(name, principalRef(credentials)));
      },
      'medium',
    );
  });

  router.get('/environments/:name/revisions', async (req, res) => {
    const { name } = req.params;
    await audited(
      req,
      'environment-read',
      { queryType: 'revisions', environment: name },
      async () => {
        await access.require(await httpAuth.credentials(req), name);
        res.json({ items: await service.revisions(name) });
      },
    );
  });

  router.post('/environments/:name/rollback', async (req, res) => {
    const { name } = req.params;
    const dryRun = req.query.dryRun === 'true';
    const { revision } = parseInput(
      rollbackEnvironmentRequestSchema,
      req.body,
      'rollback request',
    );
    await audited(
      req,
      'environment-rollback',
      { environment: name, revision: String(revision), dryRun: String(dryRun) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await update(credentials, name);
        const plan = await service.planRollback(name, revision);
        if (dryRun) {
          res.json({ dryRun: true, plan });
          return;
        }
        res
          .status(202)
          .json(
            await service.rollback(name, revision, principalRef(credentials)),
          );
      },
      'medium',
    );
  });

  router.post('/environments/:name/extend', async (req, res) => {
    const { name } = req.params;
    const { ttlMinutes } = parseInput(
      extendEnvironmentRequestSchema,
      req.body,
      'extend request',
    );
    await audited(
      req,
      'environment-extend',
      { environment: name, ttlMinutes: String(ttlMinutes) },
      async () => {
        const credentials = await httpAuth.credentials(req);
        await update(credentials, name);
        res.json(
          await service.extend(name, ttlMinutes, principalRef(credentials)),
        );
      },
    );
  });

  router.post('/environments/:name/promote', async (req, res) => {
    const { name } = req.params;
    const dryRun = req.query.dryRun === 'true';
    const request = parseInput(
      promoteEnvironmentRequestSchema,
      req.body,
      'promote request',
    );
    await audited(
      req,
      'environment-promote',
      {
        environment: name,
        to: request.name,
        type: request.type,
        cloud: request.cloud,
        dryRun: String(dryRun),
      },
      async () => {
        const credentials = await httpAuth.credentials(req);
        const source = await access.require(credentials, name);
        await options.requireCreate(credentials);
        const owner = ownerRef(request.owner ?? source.owner);
        const existing = await service.get(request.name);
        if (existing && existing.status !== 'destroyed') {
          // Another environment's name: only who may read it learns that it exists.
          await access.require(credentials, request.name);
        }
        await access.checkOwner(credentials, owner);
        await access.checkOwnerExists(owner);
        const { carried, dropped } = await service.promotion(name, request);
        const create = parseInput(
          createEnvironmentRequestSchema,
          {
            name: request.name,
            type: request.type,
            cloud: request.cloud,
            owner,
            inputs: carried,
            ...(request.ttlMinutes !== undefined
              ? { ttlMinutes: request.ttlMinutes }
              : {}),
            ...(request.onFailure ? { onFailure: request.onFailure } : {}),
          },
          'promote request',
        );
        if (dryRun) {
          res.json({
            dryRun: true,
            plan: service.plan(create),
            carried,
            dropped,
          });
          return;
        }
        const outcome = await service.create(
          create,
          principalRef(credentials),
          {
            promotedFrom: name,
          },
        );
        res.status(outcome.created ? 201 : 200).json(outcome.view);
      },
      'medium',
    );
  });

  router.get(
    '/environments/:name/secrets/:component/:capability',
    async (req, res) => {
      const { name, component, capability } = req.params;
      // Never stored by a browser or a proxy.
      res.set('Cache-Control', 'no-store');
      res.set('Pragma', 'no-cache');
      await audited(
        req,
        'environment-secret-read',
        { environment: name, component, capability },
        async () => {
          const credentials = await httpAuth.credentials(req);
          await access.require(
            credentials,
            name,
            multiclusterEnvironmentSecretReadPermission,
            'read secrets of',
          );
          res.json(await service.revealSecret(name, component, capability));
        },
        'high',
      );
    },
  );
}
