/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type RootConfigService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_ENVIRONMENT,
  environmentNameProblem,
} from '@archipelago/multicluster-common';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';

/** An environment name, given as is or as its Resource's entity ref. */
function environmentNameOf(value: string): string {
  if (!value.includes(':') && !value.includes('/')) return value;
  try {
    return parseEntityRef(value, { defaultKind: 'resource' }).name;
  } catch {
    return value;
  }
}

/** @internal */
export const LOCAL_CATALOG_DIRECTORY_KEY =
  'multicluster.scaffolder.localCatalogDirectory';
const ENTITY_NAME = /^[a-z0-9A-Z]([-_.a-z0-9A-Z]{0,61}[a-z0-9A-Z])?$/;

/**
 * `multicluster:environment:register-component`: registers a component that
 * uses an environment in a portal without a git provider. It annotates the
 * workspace's catalog-info.yaml with `archipelago.dev/environment`, writes it
 * to `<localCatalogDirectory>/<component>/catalog-info.yaml` on the backend
 * host and registers that file as a catalog location (type `file`). With a
 * git provider, use `publish:*` and `catalog:register` instead.
 * @public
 */
export function createEnvironmentRegisterComponentAction(options: {
  catalog: CatalogService;
  config: RootConfigService;
}) {
  return createTemplateAction({
    id: 'multicluster:environment:register-component',
    description:
      'Annotates the workspace catalog-info.yaml with archipelago.dev/environment, writes it to the local catalog ' +
      'directory and registers it (for portals without a git provider).',
    examples: [
      {
        description:
          'Register the component rendered by fetch:template, bound to the environment created before',
        example: `steps:
  - id: register
    name: Register component
    action: multicluster:environment:register-component
    input:
      environment: \${{ steps.environment.output.environmentRef }}
      catalogInfoPath: catalog-info.yaml`,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          z
            .string()
            .describe(
              "The environment the component uses: its name, or its Resource's entity ref (environmentRef)",
            ),
        catalogInfoPath: z =>
          z
            .string()
            .default('catalog-info.yaml')
            .describe('Path of the catalog descriptor in the workspace'),
      },
      output: {
        entityRef: z => z.string().describe('The registered component'),
        catalogInfoPath: z =>
          z
            .string()
            .describe('Where the descriptor was written on the backend host'),
      },
    },
    async handler(ctx) {
      const environment = environmentNameOf(ctx.input.environment);
      const problem = environmentNameProblem(environment);
      if (problem) throw new InputError(`environment: ${problem}`);
      const configured = options.config.getOptionalString(
        LOCAL_CATALOG_DIRECTORY_KEY,
      );
      if (!configured) {
        throw new InputError(
          `${LOCAL_CATALOG_DIRECTORY_KEY} is not configured: set it to a directory for generated catalog files, ` +
            'or publish to a git provider and use catalog:register',
        );
      }
      const source = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.catalogInfoPath,
      );
      const documents = yaml.parseAllDocuments(await readFile(source, 'utf8'));
      const entities = documents.map(d => d.toJSON() as Entity).filter(Boolean);
      const component = entities.find(e => e?.kind === 'Component');
      if (!component?.metadata?.name) {
        throw new InputError(
          `catalogInfoPath: ${ctx.input.catalogInfoPath} holds no Component with a metadata.name`,
        );
      }
      if (!ENTITY_NAME.test(component.metadata.name)) {
        throw new InputError(
          `catalogInfoPath: component name "${component.metadata.name}" is not a valid entity name`,
        );
      }
      component.metadata.annotations = {
        ...component.metadata.annotations,
        [ANNOTATION_ENVIRONMENT]: environment,
      };
      const entityRef = stringifyEntityRef({
        kind: 'Component',
        namespace: component.metadata.namespace ?? 'default',
        name: component.metadata.name,
      });
      const directory = path.resolve(configured);
      const target = resolveSafeChildPath(
        directory,
        path.join(component.metadata.name, 'catalog-info.yaml'),
      );
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoPath', target);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write ${entityRef} to ${target} and register it`,
        );
        return;
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(
        target,
        entities.map(e => yaml.stringify(e)).join('---\n'),
        'utf8',
      );
      ctx.logger.info(
        `Wrote ${entityRef} (environment ${environment}) to ${target}`,
      );

      const credentials = await ctx.getInitiatorCredentials();
      const existing = await options.catalog.getLocationByRef(
        `file:${target}`,
        { credentials },
      );
      if (existing) {
        // Registered by an earlier run: the catalog re-reads the file on refresh.
        await options.catalog
          .refreshEntity(entityRef, { credentials })
          .catch(() => undefined);
        ctx.logger.info(
          `Location file:${target} was already registered; refreshed ${entityRef}`,
        );
        return;
      }
      try {
        await options.catalog.addLocation(
          { type: 'file', target },
          { credentials },
        );
      } catch (error) {
        const message = (error as Error).message;
        if (/location type/i.test(message)) {
          throw new InputError(
            `The catalog does not accept file locations (${message}); allow them with ` +
              "catalogLocationsExtensionPoint.setAllowedLocationTypes(['url', 'file']) in a catalog module",
          );
        }
        throw error;
      }
      ctx.logger.info(`Registered ${entityRef} from file:${target}`);
    },
  });
}
