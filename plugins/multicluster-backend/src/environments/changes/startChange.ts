/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ConflictError } from '@backstage/errors';
import type { ComponentRunner } from '../runner/ComponentRunner';
import type { EngineDeps } from '../runner/context';
import { resourceNameFor } from '../serialize';
import type {
  ComponentPatch,
  EnvironmentRecord,
  NewComponent,
} from '../store/records';
import type { ComponentChange } from './types';
import type { PreparedChange } from './changeRequests';
import { snapshotOf } from '../runner/stepHelpers';

/** How each action reads in events. */
const ACTION_WORDS: Record<string, string> = {
  update: 'updated in place',
  replace: 'replaced',
  recreate: 'recreated',
  create: 'created',
  delete: 'deleted',
};

/**
 * Starts a prepared change: one transaction moves the environment to
 * `updating`, records each component's step and the revision, then the
 * runner applies it. A change that only moves the TTL is recorded at once.
 */
export async function startChange(
  deps: EngineDeps,
  runner: Pick<ComponentRunner, 'kick'>,
  prepared: PreparedChange,
  createdBy?: string,
): Promise<EnvironmentRecord> {
  const { env, plan, target, pending } = prepared;
  const name = env.name;
  const now = Date.now();
  const revision =
    pending.operation === 'heal'
      ? undefined
      : {
          environment: name,
          revision: pending.revision,
          operation: pending.operation as 'update' | 'rollback',
          status: 'applying' as const,
          restores: pending.restores,
          type: target.type,
          cloud: target.cloud,
          inputs: target.inputs,
          ttlMinutes: target.ttlMinutes,
          plan: target.plan,
          components: [],
          createdBy,
          createdAt: now,
        };
  if (!plan.changed) {
    if (pending.operation === 'heal') return env;
    if (
      target.expiresAt === env.expiresAt &&
      target.ttlMinutes === env.ttlMinutes
    )
      return env;
    // Only the TTL moves: a revision of its own, no component touched.
    const moved = await deps.store.startChange(
      name,
      {
        status: 'ready',
        ttlMinutes: target.ttlMinutes,
        expiresAt: target.expiresAt,
        expiryWarnedAt: undefined,
        revision: pending.revision,
      },
      [],
      [],
      revision && {
        ...revision,
        status: 'applied',
        components: (
          await deps.store.getComponents(name)
        ).map(c => ({
          key: c.key,
          kind: c.kind,
          template: c.template,
          driver: c.driver,
          inputs: c.inputs,
          capabilities: c.capabilities,
        })),
      },
      `TTL set to ${target.ttlMinutes} minutes${
        createdBy ? ` by ${createdBy}` : ''
      } (revision ${pending.revision})`,
      now,
    );
    if (!moved)
      throw new ConflictError(
        `Environment ${name} changed meanwhile; try again`,
      );
    return (await deps.store.get(name))!;
  }
  const byKey = new Map(prepared.components.map(c => [c.key, c]));
  const targetByKey = new Map(
    target.plan.components.map((c, i) => [c.key, { c, i }]),
  );
  const patches: Array<{ key: string; patch: ComponentPatch }> = [];
  const added: NewComponent[] = [];
  for (const entry of plan.components) {
    const current = byKey.get(entry.key);
    const t = targetByKey.get(entry.key);
    const targetSpec = t && {
      kind: t.c.kind,
      template: t.c.template,
      driver: t.c.driver,
      inputs: t.c.inputs,
      dependsOn: t.c.dependsOn,
      position: t.i,
    };
    if (entry.action === 'unchanged') {
      if (current && t && current.position !== t.i)
        patches.push({ key: entry.key, patch: { position: t.i } });
      continue;
    }
    const change: ComponentChange = {
      action: entry.action,
      step: 'pending',
      ...(targetSpec ? { target: targetSpec } : {}),
      ...(current ? { previous: snapshotOf(current) } : {}),
    };
    if (current) {
      patches.push({ key: entry.key, patch: { change } });
    } else if (targetSpec) {
      added.push({
        key: entry.key,
        position: targetSpec.position,
        kind: targetSpec.kind,
        template: targetSpec.template,
        driver: targetSpec.driver,
        dependsOn: targetSpec.dependsOn,
        inputs: targetSpec.inputs,
        resourceName: resourceNameFor(
          deps.settings.resourcePrefix,
          name,
          entry.key,
        ),
        change,
      });
    }
  }
  const summary = plan.components
    .filter(c => c.action !== 'unchanged')
    .map(c => `${c.key} ${ACTION_WORDS[c.action]}`)
    .join(', ');
  const what = {
    heal: () => 'Healing',
    rollback: () =>
      `Rolling back to revision ${pending.restores} as revision ${pending.revision}`,
    update: () => `Updating to revision ${pending.revision} (${target.type})`,
  }[pending.operation]();
  const moved = await deps.store.startChange(
    name,
    {
      status: 'updating',
      change: pending,
      reason: `${what.toLowerCase()}`,
    },
    patches,
    added,
    revision,
    `${what}${
      createdBy ? `, requested by ${createdBy}` : ''
    }: ${summary}; order ${plan.stages.map(s => s.join(' + ')).join(' → ')}`,
    now,
  );
  if (!moved)
    throw new ConflictError(`Environment ${name} changed meanwhile; try again`);
  runner.kick(name);
  return (await deps.store.get(name))!;
}
