/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import {
  COMPONENT_KINDS,
  ENVIRONMENT_CLOUDS,
  type ComponentKind,
  capabilityContracts,
} from '@archipelago/multicluster-common';
import type { EnvironmentContributions } from '../contributions';
import { STANDARD_ENVIRONMENT_TYPES } from './standardTypes';
import {
  environmentsConfigSchema,
  type RawComponentTemplate,
  type RawEnvironmentType,
  type RawEnvironmentsConfig,
} from './schema';
import { findReferences } from '../references';
import { topologicalStages } from '../stagePlanner';

export const CONFIG_ROOT = 'multicluster.environments';

/** Thrown at startup; the message names every offending key. Never echoes values. */
export class EnvironmentsConfigError extends Error {
  name = 'EnvironmentsConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid ${CONFIG_ROOT} config: ${problems.join('; ')}`);
  }
}

/** A component template after defaults are merged. */
export interface ComponentTemplate {
  name: string;
  kind: ComponentKind;
  driver: string;
  description?: string;
  inputs: Record<string, unknown>;
  /** Estimated price per hour. */
  hourlyPrice?: number;
  /** True when user config defines or overrides it (a missing driver is then an error). */
  fromUser: boolean;
}

/** One component of an environment type on a cloud, template applied. */
export interface ComponentDefinition {
  key: string;
  kind: ComponentKind;
  template: string;
  driver: string;
  description?: string;
  /** Template inputs overlaid with the mapping's inputs; may hold `${{ }}` references. */
  inputs: Record<string, unknown>;
  /** Components whose capabilities the inputs read. */
  dependsOn: string[];
  hourlyPrice?: number;
}

export interface CloudMapping {
  cloud: string;
  /** In dependency order. */
  components: ComponentDefinition[];
  /** Config key of the mapping, for error messages. */
  configKey: string;
  fromUser: boolean;
}

export interface EnvironmentTypeDefinition {
  type: string;
  title: string;
  description: string;
  clouds: CloudMapping[];
}

/** The settings of the engine itself, from `multicluster.environments`. */
export type EnvironmentsSettings = Pick<
  RawEnvironmentsConfig,
  | 'secretKey'
  | 'resourcePrefix'
  | 'leaseSeconds'
  | 'componentTimeoutMinutes'
  | 'ttl'
  | 'drift'
  | 'quotas'
  | 'revisions'
  | 'currency'
  | 'connectionDetails'
>;

export interface EnvironmentsConfig {
  settings: EnvironmentsSettings;
  templates: Record<string, ComponentTemplate>;
  types: EnvironmentTypeDefinition[];
}

const keyOf = (parts: Array<string | number>) =>
  [CONFIG_ROOT, ...parts.map(p => String(p))].join('.');

function mergeTemplates(
  defaults: Record<string, RawComponentTemplate>,
  user: Record<string, RawComponentTemplate>,
  problems: string[],
): Record<string, ComponentTemplate> {
  const names = new Set([...Object.keys(defaults), ...Object.keys(user)]);
  const out: Record<string, ComponentTemplate> = {};
  for (const name of [...names].sort()) {
    const base = defaults[name] ?? {};
    const over = user[name];
    const kind = over?.kind ?? base.kind;
    const driver = over?.driver ?? base.driver;
    if (!kind)
      problems.push(
        `${keyOf([
          'templates',
          name,
          'kind',
        ])}: is required: one of ${COMPONENT_KINDS.join(', ')}`,
      );
    if (!driver)
      problems.push(
        `${keyOf([
          'templates',
          name,
          'driver',
        ])}: is required: a component driver id`,
      );
    if (!kind || !driver) continue;
    out[name] = {
      name,
      kind,
      driver,
      description: over?.description ?? base.description,
      inputs: { ...(base.inputs ?? {}), ...(over?.inputs ?? {}) },
      hourlyPrice: over?.hourlyPrice ?? base.hourlyPrice,
      fromUser: over !== undefined,
    };
  }
  return out;
}

function mergeTypes(
  defaults: Record<string, RawEnvironmentType>,
  user: Record<string, RawEnvironmentType>,
): Array<{
  type: string;
  raw: RawEnvironmentType;
  userClouds: Set<string>;
  userKeys: Set<string>;
}> {
  const names = new Set([...Object.keys(defaults), ...Object.keys(user)]);
  return [...names].sort().map(type => {
    const base = defaults[type] ?? {};
    const over = user[type] ?? {};
    const clouds: Record<
      string,
      Record<string, { template: string; inputs?: Record<string, unknown> }>
    > = {};
    const userClouds = new Set<string>();
    const userKeys = new Set<string>();
    for (const [cloud, mapping] of Object.entries(base.clouds ?? {}))
      clouds[cloud] = { ...mapping };
    for (const [cloud, mapping] of Object.entries(over.clouds ?? {})) {
      userClouds.add(cloud);
      // Per component: a user entry replaces the shipped one of the same key.
      clouds[cloud] = { ...(clouds[cloud] ?? {}), ...mapping };
      for (const key of Object.keys(mapping)) userKeys.add(`${cloud}/${key}`);
    }
    return {
      type,
      raw: {
        title: over.title ?? base.title,
        description: over.description ?? base.description,
        clouds,
      },
      userClouds,
      userKeys,
    };
  });
}

/**
 * Builds a cloud mapping: templates applied, references checked against the
 * kinds' capability contracts, dependency order computed. Problems are added
 * with the key that causes them.
 */
function buildMapping(
  type: string,
  cloud: string,
  raw: Record<string, { template: string; inputs?: Record<string, unknown> }>,
  templates: Record<string, ComponentTemplate>,
  problems: string[],
  fromUser: boolean,
): CloudMapping | undefined {
  const base = ['types', type, 'clouds', cloud];
  const before = problems.length;
  const components: ComponentDefinition[] = [];
  const keys = Object.keys(raw);
  if (keys.length === 0) problems.push(`${keyOf(base)}: defines no components`);
  for (const key of keys) {
    const entry = raw[key];
    const template = templates[entry.template];
    if (!template) {
      problems.push(
        `${keyOf([...base, key, 'template'])}: no component template named "${
          entry.template
        }"; define it under ${CONFIG_ROOT}.templates`,
      );
      continue;
    }
    if (
      (COMPONENT_KINDS as readonly string[]).includes(key) &&
      key !== template.kind
    ) {
      problems.push(
        `${keyOf([...base, key, 'template'])}: template "${
          entry.template
        }" is of kind ${
          template.kind
        }, but the component key names the kind ${key}`,
      );
      continue;
    }
    const inputs = { ...template.inputs, ...(entry.inputs ?? {}) };
    let refs;
    try {
      refs = findReferences(inputs);
    } catch (error) {
      problems.push(
        `${keyOf([...base, key, 'inputs'])}.${(error as Error).message}`,
      );
      continue;
    }
    const dependsOn = new Set<string>();
    for (const { path: inputPath, reference } of refs) {
      if (reference.type !== 'component') continue;
      const where = keyOf([...base, key, 'inputs', inputPath]);
      if (reference.component === key) {
        problems.push(`${where}: a component cannot reference itself`);
        continue;
      }
      const target = raw[reference.component];
      const targetTemplate = target && templates[target.template];
      if (!target) {
        problems.push(
          `${where}: references component "${
            reference.component
          }", which ${type}/${cloud} does not have; it has ${keys.join(', ')}`,
        );
        continue;
      }
      if (targetTemplate) {
        const allowed = Object.keys(
          capabilityContracts[targetTemplate.kind].shape,
        );
        if (!allowed.includes(reference.capability)) {
          problems.push(
            `${where}: ${targetTemplate.kind} component "${
              reference.component
            }" has no capability "${
              reference.capability
            }"; it has ${allowed.join(', ')}`,
          );
          continue;
        }
      }
      dependsOn.add(reference.component);
    }
    components.push({
      key,
      kind: template.kind,
      template: template.name,
      driver: template.driver,
      description: template.description,
      inputs,
      dependsOn: [...dependsOn].sort(),
      ...(template.hourlyPrice !== undefined
        ? { hourlyPrice: template.hourlyPrice }
        : {}),
    });
  }
  if (problems.length > before) return undefined;
  try {
    const stages = topologicalStages(
      components.map(c => ({ key: c.key, dependsOn: c.dependsOn })),
    );
    const order = stages.flat();
    components.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  } catch (error) {
    problems.push(`${keyOf(base)}: ${(error as Error).message}`);
    return undefined;
  }
  return { cloud, components, configKey: keyOf(base), fromUser };
}

/**
 * The templates and types modules contribute, as raw config: the standard
 * type names with every cloud mapping modules added.
 */
function contributedDefaults(
  contributions: Pick<EnvironmentContributions, 'templates' | 'mappings'>,
): {
  templates: Record<string, RawComponentTemplate>;
  types: Record<string, RawEnvironmentType>;
} {
  const types: Record<string, RawEnvironmentType> = {};
  for (const [type, clouds] of Object.entries(contributions.mappings)) {
    types[type] = {
      ...STANDARD_ENVIRONMENT_TYPES[type],
      clouds: clouds as RawEnvironmentType['clouds'],
    };
  }
  // Standard types no module maps stay unoffered until config maps them.
  for (const [type, info] of Object.entries(STANDARD_ENVIRONMENT_TYPES)) {
    types[type] ??= { ...info };
  }
  return { templates: contributions.templates, types };
}

/**
 * Reads `multicluster.environments`, merges it over what modules contribute
 * (templates of their drivers, mappings of environment types onto them) and
 * validates everything that does not need the drivers (EnvironmentCatalog
 * checks those). Throws an {@link EnvironmentsConfigError} naming every
 * offending key.
 */
export function readEnvironmentsConfig(
  config: Config,
  contributions: Pick<EnvironmentContributions, 'templates' | 'mappings'> = {
    templates: {},
    mappings: {},
  },
): EnvironmentsConfig {
  const raw = config.getOptional(CONFIG_ROOT) ?? {};
  const parsed = environmentsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EnvironmentsConfigError(
      parsed.error.issues.map(
        issue => `${keyOf(issue.path)}: ${issue.message}`,
      ),
    );
  }
  const {
    templates: userTemplates,
    types: userTypes,
    defaults,
    secretKey,
    resourcePrefix,
    leaseSeconds,
    componentTimeoutMinutes,
    ttl,
    drift,
    quotas,
    revisions,
    currency,
    connectionDetails,
  } = parsed.data;
  const base = defaults
    ? contributedDefaults(contributions)
    : { templates: {}, types: {} };
  const problems: string[] = [];
  const templates = mergeTemplates(base.templates, userTemplates, problems);
  const types: EnvironmentTypeDefinition[] = [];
  for (const { type, raw: rawType, userClouds, userKeys } of mergeTypes(
    base.types,
    userTypes,
  )) {
    const clouds: CloudMapping[] = [];
    const cloudEntries = Object.entries(rawType.clouds ?? {});
    if (cloudEntries.length === 0 && userTypes[type]) {
      problems.push(
        `${keyOf([
          'types',
          type,
          'clouds',
        ])}: is required: at least one cloud (${ENVIRONMENT_CLOUDS.join(
          ', ',
        )})`,
      );
    }
    for (const [cloud, mapping] of cloudEntries) {
      const usesUserTemplate = Object.values(mapping).some(
        m => templates[m.template]?.fromUser,
      );
      const fromUser =
        userClouds.has(cloud) ||
        usesUserTemplate ||
        Object.keys(mapping).some(k => userKeys.has(`${cloud}/${k}`));
      const built = buildMapping(
        type,
        cloud,
        mapping,
        templates,
        problems,
        fromUser,
      );
      if (built) clouds.push(built);
    }
    types.push({
      type,
      title: rawType.title ?? type,
      description: rawType.description ?? '',
      clouds,
    });
  }
  if (problems.length) throw new EnvironmentsConfigError(problems);
  return {
    settings: {
      secretKey,
      resourcePrefix,
      leaseSeconds,
      componentTimeoutMinutes,
      ttl,
      drift,
      quotas,
      revisions,
      currency,
      connectionDetails,
    },
    templates,
    types,
  };
}
