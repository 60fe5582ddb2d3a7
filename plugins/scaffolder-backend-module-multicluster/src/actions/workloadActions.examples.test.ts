/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { multiclusterServiceMock } from '@archipelago/multicluster-node';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { createWorkloadApplyAction } from './workloadApply';
import { workloadApplyExamples } from './workloadApply.examples';
import { createWorkloadDeleteAction } from './workloadDelete';
import { workloadDeleteExamples } from './workloadDelete.examples';

const inputOf = (example: string) => yaml.parse(example).steps[0].input;

/**
 * Every example of the action reference runs through its handler, against
 * the in-memory multicluster service (which validates bodies like the
 * server): apply creates, apply again updates, delete removes.
 */
describe('workload action examples', () => {
  const multicluster = multiclusterServiceMock();
  const auth = mockServices.auth();
  const apply = createWorkloadApplyAction({
    multicluster,
    auth,
    pollIntervalMs: 10,
  });
  const remove = createWorkloadDeleteAction({
    multicluster,
    auth,
    pollIntervalMs: 10,
  });
  const workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-wl-ex-'));
  fs.mkdirSync(path.join(workspacePath, 'k8s'));
  fs.writeFileSync(
    path.join(workspacePath, 'k8s', 'worker.yaml'),
    'apiVersion: batch/v1\nkind: Job\nmetadata: { name: migrate }\nspec: { template: { spec: { restartPolicy: Never, containers: [{ name: m, image: "acme/migrate:1" }] } } }\n',
  );
  afterAll(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

  it.each(workloadApplyExamples.map(e => [e.description, e.example]))(
    'apply: %s',
    async (_description, example) => {
      const input = inputOf(example);
      const ctx = createMockActionContext({ input, workspacePath });
      await apply.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('name', input.name);
      expect(ctx.output).toHaveBeenCalledWith('revision', 1);
      expect(ctx.output).toHaveBeenCalledWith('created', true);
      expect(ctx.output).toHaveBeenCalledWith('phase', 'Available');
      const again = createMockActionContext({ input, workspacePath });
      await apply.handler(again);
      expect(again.output).toHaveBeenCalledWith('revision', 2);
      expect(again.output).toHaveBeenCalledWith('created', false);
    },
  );

  it.each(workloadDeleteExamples.map(e => [e.description, e.example]))(
    'delete: %s',
    async (_description, example) => {
      const input = inputOf(example);
      const ctx = createMockActionContext({ input, workspacePath });
      await remove.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith('deleted', true);
    },
  );

  it('a dry run plans and stores nothing', async () => {
    const input = inputOf(workloadApplyExamples[0].example);
    // createMockActionContext drops isDryRun: set it on the context.
    const ctx = {
      ...createMockActionContext({
        input: { ...input, name: 'planned' },
        workspacePath,
      }),
      isDryRun: true,
    };
    await apply.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('revision', 1);
    await expect(
      multicluster.getWorkload('planned', {
        credentials: await auth.getOwnServiceCredentials(),
      }),
    ).rejects.toThrow('No workload named planned');
  });

  it('refuses bad input naming the field, before any call', async () => {
    const ctx = createMockActionContext({
      input: { name: 'x', owner: 'team-a', placement: {} },
      workspacePath,
    });
    await expect(apply.handler(ctx)).rejects.toThrow(
      /^Invalid input: placement: placement needs clusterNames or a clusterSelector .*; manifests: give exactly one of manifests/,
    );
  });
});
