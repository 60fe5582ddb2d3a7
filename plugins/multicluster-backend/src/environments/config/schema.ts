/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  COMPONENT_KINDS,
  ENVIRONMENT_CLOUDS,
} from '@archipelago/multicluster-common';
import { z } from 'zod';

/** Component keys are used in `${{ components.<key>.<capability> }}`, so they stay identifier-like. */
export const COMPONENT_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/;
/** Template and type names: lower-case DNS-ish labels. */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const templateName = z
  .string()
  .regex(
    TEMPLATE_NAME_PATTERN,
    "must be lower-case letters, digits and '-', at most 63 characters",
  );
const inputs = z.record(z.unknown());

/** A component template: which driver implements a kind, with default inputs. */
export const componentTemplateSchema = z
  .object({
    kind: z.enum(COMPONENT_KINDS).optional(),
    driver: z.string().min(1).optional(),
    description: z.string().optional(),
    inputs: inputs.optional(),
    /** Estimated price per hour, in `multicluster.environments.currency`. */
    hourlyPrice: z.number().min(0).max(1_000_000).optional(),
  })
  .strict();

/** One component of an environment type on one cloud. */
export const componentMappingSchema = z
  .object({
    template: templateName,
    inputs: inputs.optional(),
  })
  .strict();

export const cloudMappingSchema = z.record(
  z
    .string()
    .regex(
      COMPONENT_KEY_PATTERN,
      "component keys must start with a letter and hold letters, digits, '_' or '-'",
    ),
  componentMappingSchema,
);

export const environmentTypeSchema = z
  .object({
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    clouds: z.record(z.enum(ENVIRONMENT_CLOUDS), cloudMappingSchema).optional(),
  })
  .strict();

/** The raw `multicluster.environments` key. */
export const environmentsConfigSchema = z
  .object({
    /** `false` drops the templates and type mappings modules contribute; only yours remain. */
    defaults: z.boolean().default(true),
    /** Encrypts secret capabilities at rest. At least 32 characters. */
    secretKey: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. 32 random bytes, base64)')
      .optional(),
    /** Where drivers that run local processes keep their state (read by those modules). */
    dataDir: z.string().min(1).optional(),
    /** Prefix of every resource name, so resources of several portals on one account stay apart. */
    resourcePrefix: z
      .string()
      .regex(
        /^[a-z][a-z0-9]{0,9}$/,
        'must be 1-10 lower-case letters or digits, starting with a letter',
      )
      .default('archi'),
    /** How long a replica's claim on an environment's work lasts without renewal. */
    leaseSeconds: z.number().int().min(1).max(600).default(30),
    /** A component's create or delete is abandoned (and fails) after this long. */
    componentTimeoutMinutes: z
      .number()
      .min(0.1)
      .max(24 * 60)
      .default(30),
    ttl: z
      .object({
        /** TTL of environments created without one; none when unset. */
        defaultMinutes: z.number().int().min(10).max(43200).optional(),
        checkIntervalSeconds: z.number().int().min(1).max(86400).default(60),
        /** An extension may put the expiry at most this far from now. */
        maxMinutes: z.number().int().min(10).max(525600).default(43200),
        /** Owners are told (an event, a notification) this long before expiry. */
        warnBeforeMinutes: z.number().int().min(1).max(10080).default(60),
      })
      .strict()
      .default({}),
    /** Per-owner quotas, checked before any work (429 naming the quota). */
    quotas: z
      .object({
        environmentsPerOwner: z.number().int().min(1).max(10000).default(10),
        dedicatedDatabaseServersPerOwner: z
          .number()
          .int()
          .min(0)
          .max(10000)
          .default(3),
      })
      .strict()
      .default({}),
    /** Revisions kept per environment (older ones are pruned; the current one always stays). */
    revisions: z
      .object({ keep: z.number().int().min(2).max(1000).default(20) })
      .strict()
      .default({}),
    /** Currency of the templates' hourly prices. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
      .default('USD'),
    /**
     * Capabilities written into the environment's own cluster: a ConfigMap
     * (plain values) and a Secret (secret values), with the deploy identity.
     */
    connectionDetails: z
      .object({
        enabled: z.boolean().default(true),
        namespace: z
          .string()
          .regex(
            /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
            'must be a Kubernetes namespace name',
          )
          .default('archipelago'),
        timeoutSeconds: z.number().int().min(1).max(300).default(20),
      })
      .strict()
      .default({}),
    drift: z
      .object({
        enabled: z.boolean().default(true),
        intervalSeconds: z.number().int().min(5).max(86400).default(300),
      })
      .strict()
      .default({}),
    // Settings of each cloud's drivers belong to the module that provides
    // them (`local`, `aws`, …), which validates them.
    local: z.unknown().optional(),
    aws: z.unknown().optional(),
    azure: z.unknown().optional(),
    gcp: z.unknown().optional(),
    templates: z.record(templateName, componentTemplateSchema).default({}),
    types: z.record(templateName, environmentTypeSchema).default({}),
  })
  .strict();

export type RawEnvironmentsConfig = z.output<typeof environmentsConfigSchema>;
export type RawComponentTemplate = z.output<typeof componentTemplateSchema>;
export type RawEnvironmentType = z.output<typeof environmentTypeSchema>;
