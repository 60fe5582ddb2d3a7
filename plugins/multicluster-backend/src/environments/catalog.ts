/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EnvironmentTypeInfo } from '@archipelago/multicluster-common';
import type { ComponentDriver } from '@archipelago/multicluster-node';
import { InputError } from '@backstage/errors';
import {
  CONFIG_ROOT,
  type CloudMapping,
  type EnvironmentsConfig,
  EnvironmentsConfigError,
} from './config/readEnvironmentsConfig';
import {
  type EnvironmentPlan,
  type PlannedComponent,
  topologicalStages,
} from './stagePlanner';
import { componentDependencies, findReferences } from './references';

/** Inputs without the fields that hold `${{ }}` references (they resolve at create time). */
export function literalInputs(
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (findReferences(v).length === 0) out[k] = v;
  }
  return out;
}

/** Registered drivers by id; duplicate ids are a startup error. */
export class DriverRegistry {
  private readonly byId = new Map<string, ComponentDriver>();

  constructor(drivers: ComponentDriver[]) {
    for (const d of drivers) {
      if (this.byId.has(d.id)) {
        throw new Error(
          `Two component drivers share the id ${d.id}; driver ids must be unique`,
        );
      }
      this.byId.set(d.id, d);
    }
  }

  get(id: string): ComponentDriver | undefined {
    return this.byId.get(id);
  }

  require(id: string): ComponentDriver {
    const d = this.byId.get(id);
    if (!d) throw new Error(`component driver ${id} is not installed`);
    return d;
  }

  all(): ComponentDriver[] {
    return [...this.byId.values()];
  }
}

interface AvailableCloud {
  mapping: CloudMapping;
}

interface TypeEntry {
  type: string;
  title: string;
  description: string;
  clouds: Map<string, AvailableCloud>;
  /** Clouds the config maps but whose drivers are not installed, with why. */
  unavailable: Map<string, string>;
}

/**
 * Environment types checked against the installed drivers, and the planner
 * of concrete environments. Built once at startup: a config that names a
 * missing driver, a driver of the wrong kind, inputs a driver rejects or a
 * network contract a consumer does not accept fails the backend's start with
 * the key to fix. Shipped defaults whose drivers are not installed (no AWS
 * module, say) just make that cloud unavailable.
 */
export class EnvironmentCatalog {
  private constructor(
    private readonly types: Map<string, TypeEntry>,
    private readonly drivers: DriverRegistry,
  ) {}

  static build(
    config: EnvironmentsConfig,
    drivers: DriverRegistry,
  ): EnvironmentCatalog {
    const problems: string[] = [];
    for (const t of Object.values(config.templates)) {
      const driver = drivers.get(t.driver);
      if (driver && driver.kind !== t.kind) {
        problems.push(
          `${CONFIG_ROOT}.templates.${t.name}.driver: driver ${t.driver} implements ${driver.kind}, but the template is of kind ${t.kind}`,
        );
      }
    }
    const types = new Map<string, TypeEntry>();
    for (const def of config.types) {
      const entry: TypeEntry = {
        type: def.type,
        title: def.title,
        description: def.description,
        clouds: new Map(),
        unavailable: new Map(),
      };
      for (const mapping of def.clouds) {
        const missing = mapping.components.filter(c => !drivers.get(c.driver));
        if (missing.length) {
          const names = [...new Set(missing.map(c => c.driver))].join(', ');
          if (mapping.fromUser) {
            for (const c of missing) {
              problems.push(
                `${mapping.configKey}.${c.key}.template: template ${
                  c.template
                } uses driver ${
                  c.driver
                }, which is not installed; installed: ${drivers
                  .all()
                  .map(d => d.id)
                  .sort()
                  .join(', ')}`,
              );
            }
          } else {
            entry.unavailable.set(
              mapping.cloud,
              `driver ${names} is not installed`,
            );
          }
          continue;
        }
        const before = problems.length;
        for (const c of mapping.components) {
          const driver = drivers.require(c.driver);
          try {
            driver.validateInputs?.(literalInputs(c.inputs));
          } catch (error) {
            problems.push(
              `${mapping.configKey}.${c.key}.inputs: ${
                (error as Error).message
              }`,
            );
          }
          for (const depKey of c.dependsOn) {
            const dep = mapping.components.find(d => d.key === depKey)!;
            const accepted = driver.contracts?.consumes?.[dep.kind];
            if (!accepted) continue;
            const provided = drivers.require(dep.driver).contracts?.provides;
            if (!provided || !accepted.includes(provided)) {
              problems.push(
                `${mapping.configKey}.${c.key}: driver ${c.driver} needs a ${
                  dep.kind
                } of contract ${accepted.join(' or ')}, ` +
                  `but component ${dep.key} uses driver ${
                    dep.driver
                  } (contract ${provided ?? 'none'})`,
              );
            }
          }
        }
        if (problems.length === before)
          entry.clouds.set(mapping.cloud, { mapping });
      }
      types.set(def.type, entry);
    }
    if (problems.length) throw new EnvironmentsConfigError(problems);
    return new EnvironmentCatalog(types, drivers);
  }

  /** `GET /environment-types`: only clouds that can be created. */
  listTypes(): EnvironmentTypeInfo[] {
    return [...this.types.values()]
      .filter(t => t.clouds.size > 0)
      .map(t => ({
        type: t.type,
        title: t.title,
        description: t.description,
        clouds: [...t.clouds.values()].map(({ mapping }) => ({
          cloud: mapping.cloud,
          components: mapping.components.map(c => ({
            key: c.key,
            kind: c.kind,
            template: c.template,
            driver: c.driver,
            description:
              c.description ?? this.drivers.get(c.driver)?.description ?? '',
          })),
        })),
      }));
  }

  /** Type names, for messages. */
  typeNames(): string[] {
    return [...this.types.values()]
      .filter(t => t.clouds.size > 0)
      .map(t => t.type);
  }

  /**
   * The concrete plan of an environment. Throws an InputError naming the
   * field and what is allowed: an unknown type, a cloud the type does not
   * offer, inputs for a component the type does not have, inputs a driver
   * rejects.
   */
  plan(
    request: {
      type: string;
      cloud: string;
      inputs?: Record<string, unknown>;
    },
    subject = 'create environment request',
  ): EnvironmentPlan {
    const entry = this.types.get(request.type);
    if (!entry || entry.clouds.size === 0) {
      throw new InputError(
        `Invalid ${subject}: type: unknown environment type "${
          request.type
        }"; allowed: ${this.typeNames().join(', ')}`,
      );
    }
    const available = entry.clouds.get(request.cloud);
    if (!available) {
      const offered = [...entry.clouds.keys()].join(', ');
      const why = entry.unavailable.get(request.cloud);
      throw new InputError(
        `Invalid ${subject}: cloud: environment type ${request.type} does not offer cloud "${request.cloud}"` +
          `${why ? ` (${why})` : ''}; allowed: ${offered}`,
      );
    }
    const { mapping } = available;
    const overrides = request.inputs ?? {};
    const keys = mapping.components.map(c => c.key);
    const problems: string[] = [];
    const malformed = new Set<string>();
    for (const [key, value] of Object.entries(overrides)) {
      if (!keys.includes(key)) {
        problems.push(
          `inputs.${key}: ${request.type}/${
            request.cloud
          } has no component "${key}"; allowed: ${keys.join(', ')}`,
        );
      } else if (!value || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(
          `inputs.${key}: must be an object of input names to values`,
        );
        malformed.add(key);
      } else {
        let hasExpression = true;
        try {
          hasExpression = findReferences(value).length > 0;
        } catch {
          // an unparsable expression is an expression too
        }
        if (hasExpression) {
          problems.push(
            `inputs.${key}: \${{ }} expressions are not allowed in request inputs`,
          );
          malformed.add(key);
        }
      }
    }
    const components: PlannedComponent[] = [];
    for (const c of mapping.components) {
      const override = overrides[c.key];
      const inputs =
        override && typeof override === 'object' && !Array.isArray(override)
          ? { ...c.inputs, ...(override as Record<string, unknown>) }
          : { ...c.inputs };
      if (override && !malformed.has(c.key)) {
        try {
          this.drivers
            .require(c.driver)
            .validateInputs?.(literalInputs(inputs));
        } catch (error) {
          problems.push(`inputs.${c.key}: ${(error as Error).message}`);
        }
      }
      components.push({
        key: c.key,
        kind: c.kind,
        template: c.template,
        driver: c.driver,
        description: c.description,
        inputs,
        // Request inputs cannot add references, but they can replace one.
        dependsOn: componentDependencies(inputs),
        ...(c.hourlyPrice !== undefined ? { hourlyPrice: c.hourlyPrice } : {}),
      });
    }
    if (problems.length) {
      throw new InputError(`Invalid ${subject}: ${problems.join('; ')}`);
    }
    return {
      type: request.type,
      cloud: request.cloud,
      components,
      stages: topologicalStages(components),
    };
  }

  driver(id: string) {
    return this.drivers.require(id);
  }
}
