/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ENVIRONMENT_CLOUDS } from '@archipelago/multicluster-common';
import type {
  ComponentDriver,
  ComponentTemplateDefinition,
  EnvironmentCloudMapping,
  MulticlusterDriversExtensionPoint,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import {
  cloudMappingSchema,
  componentTemplateSchema,
  TEMPLATE_NAME_PATTERN,
} from './config/schema';

/** What modules added through the drivers extension point. */
export interface EnvironmentContributions {
  drivers: ComponentDriver[];
  templates: Record<string, ComponentTemplateDefinition>;
  /** `mappings[type][cloud]`. */
  mappings: Record<string, Record<string, EnvironmentCloudMapping>>;
}

const describeIssues = (error: z.ZodError, prefix: string) =>
  error.issues
    .map(i => `${[prefix, ...i.path].join('.')}: ${i.message}`)
    .join('; ');

/**
 * Collects drivers, templates and type mappings from modules, refusing
 * malformed or conflicting ones at once: the module's init fails, naming what
 * it contributed twice. Closed when the plugin starts.
 */
export class EnvironmentContributionsCollector {
  private readonly collected: EnvironmentContributions = {
    drivers: [],
    templates: {},
    mappings: {},
  };
  private closed = false;

  /** The extension point implementation. */
  readonly extensionPoint: MulticlusterDriversExtensionPoint = {
    addComponentDriver: (...drivers) => {
      this.open('Component drivers');
      this.collected.drivers.push(...drivers);
    },
    addComponentTemplates: templates => {
      this.open('Component templates');
      for (const [name, template] of Object.entries(templates)) {
        if (!TEMPLATE_NAME_PATTERN.test(name)) {
          throw new Error(
            `A module contributed the component template "${name}": template names are lower-case letters, digits and '-'`,
          );
        }
        const parsed = componentTemplateSchema
          .required({ kind: true, driver: true })
          .safeParse(template);
        if (!parsed.success) {
          throw new Error(
            `A module contributed an invalid component template: ${describeIssues(
              parsed.error,
              `templates.${name}`,
            )}`,
          );
        }
        if (this.collected.templates[name]) {
          throw new Error(
            `Two modules contribute a component template named ${name}; template names must be unique`,
          );
        }
        this.collected.templates[name] = template;
      }
    },
    addEnvironmentTypeMappings: (cloud, mappings) => {
      this.open('Environment type mappings');
      if (!(ENVIRONMENT_CLOUDS as readonly string[]).includes(cloud)) {
        throw new Error(
          `A module mapped environment types on the unknown cloud "${cloud}"; allowed: ${ENVIRONMENT_CLOUDS.join(
            ', ',
          )}`,
        );
      }
      for (const [type, mapping] of Object.entries(mappings)) {
        const parsed = z.string().regex(TEMPLATE_NAME_PATTERN).safeParse(type);
        const components = cloudMappingSchema.safeParse(mapping);
        if (!parsed.success || !components.success) {
          throw new Error(
            `A module contributed an invalid mapping of type "${type}" on ${cloud}${
              components.success
                ? ''
                : `: ${describeIssues(
                    components.error,
                    `types.${type}.clouds.${cloud}`,
                  )}`
            }`,
          );
        }
        const byCloud = (this.collected.mappings[type] ??= {});
        if (byCloud[cloud]) {
          throw new Error(
            `Two modules map environment type ${type} on ${cloud}; one type has one mapping per cloud`,
          );
        }
        byCloud[cloud] = mapping;
      }
    },
  };

  private open(what: string) {
    if (this.closed) {
      throw new Error(
        `${what} must be added before the multicluster plugin starts`,
      );
    }
  }

  /** Ends collection (the plugin starts) and returns what was contributed. */
  close(): EnvironmentContributions {
    this.closed = true;
    return this.collected;
  }
}
