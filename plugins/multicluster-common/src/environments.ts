/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { ComponentKind, SecretReference } from './capabilities';
import type {
  ComponentDrift,
  EnvironmentChangePlan,
  EnvironmentCost,
} from './environmentChanges';
import { parseInput } from './validation';

/** Lifecycle of an environment. @public */
export const ENVIRONMENT_STATUSES = [
  'pending',
  'provisioning',
  'ready',
  'updating',
  'failed',
  'rolling-back',
  'destroying',
  'destroyed',
] as const;

/** An environment's lifecycle status. @public */
export type EnvironmentStatus = (typeof ENVIRONMENT_STATUSES)[number];

/** Lifecycle of one component of an environment. @public */
export const COMPONENT_STATUSES = [
  'pending',
  'creating',
  'ready',
  'failed',
  'deleting',
  'deleted',
  'drifted',
] as const;

/** A component's lifecycle status. @public */
export type ComponentStatusValue = (typeof COMPONENT_STATUSES)[number];

/** Clouds an environment can be created on (the `cloud` half of the type mapping). @public */
export const ENVIRONMENT_CLOUDS = ['local', 'aws', 'azure', 'gcp'] as const;

/** A cloud an environment can be created on. @public */
export type EnvironmentCloud = (typeof ENVIRONMENT_CLOUDS)[number];

/** What to do with what was created when provisioning fails. @public */
export const ON_FAILURE_POLICIES = ['rollback', 'keep'] as const;

/** What to do with what was created when provisioning fails: `rollback` destroys it, `keep` leaves it for inspection. @public */
export type OnFailurePolicy = (typeof ON_FAILURE_POLICIES)[number];

/**
 * A capability value as served to a browser: secret capabilities are only
 * ever a reference.
 * @public
 */
export type CapabilityValue =
  | string
  | number
  | boolean
  | string[]
  | SecretReference;

/** One component of an environment, as served by the REST API. @public */
export interface ComponentState {
  /** Component key in the environment (`network`, `cluster`, `database`…). */
  key: string;
  /** The component kind. */
  kind: ComponentKind;
  /** The component template it came from. */
  template: string;
  /** The driver that implements it, e.g. `emulator-cluster`, `aws-rds-postgres`. */
  driver: string;
  /** Its lifecycle status. */
  status: ComponentStatusValue;
  /** Capabilities per the kind's contract; secrets as SecretReference. */
  capabilities: Record<string, CapabilityValue>;
  /** The last error, when it failed. */
  error?: string;
  /** What the drift check found, when the component drifted. */
  drift?: ComponentDrift;
  /** ISO timestamp of the start of its creation. */
  startedAt?: string;
  /** ISO timestamp of the end of its creation. */
  finishedAt?: string;
}

/** An environment, as served by `GET /environments/:name`. @public */
export interface Environment {
  /** The environment's name (DNS-1123 label). */
  name: string;
  /** Environment type, e.g. `dev-small`. */
  type: string;
  /** The cloud it runs on. */
  cloud: string;
  /** Entity ref of the owner. */
  owner: string;
  /** Inputs given at creation. */
  inputs: Record<string, unknown>;
  /** Its lifecycle status. */
  status: EnvironmentStatus;
  /** A short human reason for the status (why it failed, what it waits for). */
  reason?: string;
  /** Lifetime in minutes, when it expires. */
  ttlMinutes?: number;
  /** ISO timestamp after which the environment is destroyed. */
  expiresAt?: string;
  /** ISO timestamp of its creation. */
  createdAt: string;
  /** ISO timestamp of its last change. */
  updatedAt: string;
  /** Its components, in creation order. */
  components: ComponentState[];
  /** Inventory id of the cluster the environment created, once known. */
  clusterId?: string;
  /** The revision the environment is at (see `GET /environments/:name/revisions`). */
  revision?: number;
  /** The change being applied while the environment is `updating`. */
  pendingChange?: EnvironmentChangePlan;
  /** Estimated cost, from the hourly prices its templates declare. */
  cost?: EnvironmentCost;
}

/** Severity levels of environment events. @public */
export const ENVIRONMENT_EVENT_LEVELS = ['info', 'warning', 'error'] as const;

/** The severity of an environment event. @public */
export type EnvironmentEventLevel = (typeof ENVIRONMENT_EVENT_LEVELS)[number];

/** One step recorded by the environments engine. @public */
export interface EnvironmentEvent {
  /** Increasing id; `after` in `GET /environments/:name/events` takes it. */
  id: number;
  /** ISO timestamp. */
  at: string;
  /** Severity. */
  level: EnvironmentEventLevel;
  /** Component key, when the event is about one component. */
  component?: string;
  /** What happened, for people. */
  message: string;
}

/** One component an environment type creates on a cloud. @public */
export interface EnvironmentTypeComponentInfo {
  /** Component key in the environment. */
  key: string;
  /** The component kind. */
  kind: ComponentKind;
  /** The component template it comes from. */
  template: string;
  /** The driver that implements it. */
  driver: string;
  /** A human line for plans and the UI. */
  description: string;
}

/** An environment type and what it maps to on each cloud (`GET /environment-types`). @public */
export interface EnvironmentTypeInfo {
  /** The type name, e.g. `dev-small`. */
  type: string;
  /** Display title. */
  title: string;
  /** What the type is for. */
  description: string;
  /** The clouds it is offered on, with the components it creates there. */
  clouds: Array<{ cloud: string; components: EnvironmentTypeComponentInfo[] }>;
}

/** Body of `POST /environments`. @public */
export interface CreateEnvironmentRequest {
  /** The environment's name (DNS-1123 label, 3-40 characters). */
  name: string;
  /** The environment type. */
  type: string;
  /** The cloud to create it on. */
  cloud: EnvironmentCloud;
  /** Entity ref of the owner. */
  owner: string;
  /** Lifetime in minutes; it is destroyed after. */
  ttlMinutes?: number;
  /** Inputs that override the templates' defaults. */
  inputs?: Record<string, unknown>;
  /** What to do when provisioning fails (default `rollback`). */
  onFailure?: OnFailurePolicy;
}

/** Environment names: DNS-1123 labels of 3–40 characters starting with a letter. @public */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Shortest environment name. @public */
export const ENVIRONMENT_NAME_MIN_LENGTH = 3;
/** Longest environment name. @public */
export const ENVIRONMENT_NAME_MAX_LENGTH = 40;
/** Shortest lifetime, in minutes. @public */
export const ENVIRONMENT_TTL_MIN_MINUTES = 10;
/** 30 days. @public */
export const ENVIRONMENT_TTL_MAX_MINUTES = 43200;

const NAME_RULE =
  `name must be ${ENVIRONMENT_NAME_MIN_LENGTH}-${ENVIRONMENT_NAME_MAX_LENGTH} characters of lowercase ` +
  "letters, digits and '-', starting with a letter and ending with a letter or digit";

/**
 * Why a string is not a valid environment name, or undefined.
 * @public
 */
export function environmentNameProblem(name: string): string | undefined {
  if (
    name.length < ENVIRONMENT_NAME_MIN_LENGTH ||
    name.length > ENVIRONMENT_NAME_MAX_LENGTH ||
    !ENVIRONMENT_NAME_PATTERN.test(name)
  ) {
    return `${NAME_RULE} (got "${name}")`;
  }
  return undefined;
}

const entityValidator = makeValidator();

const requiredString = (field: string, rule: string) =>
  z
    .string({
      required_error: `${field} is required: ${rule}`,
      invalid_type_error: `${field} must be a string: ${rule}`,
    })
    .trim()
    .min(1, `${field} must not be empty: ${rule}`);

const enumOf = <T extends readonly [string, ...string[]]>(
  field: string,
  values: T,
) =>
  z.enum(values, {
    errorMap: issue =>
      issue.code === z.ZodIssueCode.invalid_type &&
      issue.received === 'undefined'
        ? { message: `${field} is required: one of ${values.join(', ')}` }
        : { message: `${field} must be one of ${values.join(', ')}` },
  });

/** zod schema of `POST /environments`; messages name the field and what is allowed. @public */
export const createEnvironmentRequestSchema = z
  .object({
    name: z
      .string({
        required_error: `name is required: ${NAME_RULE}`,
        invalid_type_error: `name must be a string: ${NAME_RULE}`,
      })
      .superRefine((name, ctx) => {
        const problem = environmentNameProblem(name);
        if (problem) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        }
      }),
    type: requiredString(
      'type',
      'an environment type from GET /environment-types',
    ),
    cloud: enumOf('cloud', ENVIRONMENT_CLOUDS),
    owner: requiredString(
      'owner',
      'an entity ref such as group:default/team-a',
    ).superRefine((owner, ctx) => {
      let problem: string | undefined;
      try {
        // Shorthands (`team-a`, `group:team-a`) are allowed as in catalog spec.owner.
        const ref = parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        // parseEntityRef only splits; the catalog's validators check each part.
        if (!entityValidator.isValidKind(ref.kind)) {
          problem = `invalid kind "${ref.kind}"`;
        } else if (!entityValidator.isValidNamespace(ref.namespace)) {
          problem = `invalid namespace "${ref.namespace}"`;
        } else if (!entityValidator.isValidEntityName(ref.name)) {
          problem = `invalid name "${ref.name}"`;
        }
      } catch (e) {
        problem = (e as Error).message;
      }
      if (problem) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `owner must be an entity ref such as group:default/team-a or user:default/jane (${problem})`,
        });
      }
    }),
    ttlMinutes: z
      .number({ invalid_type_error: 'ttlMinutes must be a number of minutes' })
      .int('ttlMinutes must be a whole number of minutes')
      .min(
        ENVIRONMENT_TTL_MIN_MINUTES,
        `ttlMinutes must be between ${ENVIRONMENT_TTL_MIN_MINUTES} and ${ENVIRONMENT_TTL_MAX_MINUTES}`,
      )
      .max(
        ENVIRONMENT_TTL_MAX_MINUTES,
        `ttlMinutes must be between ${ENVIRONMENT_TTL_MIN_MINUTES} and ${ENVIRONMENT_TTL_MAX_MINUTES}`,
      )
      .optional(),
    inputs: z
      .record(z.unknown(), {
        invalid_type_error: 'inputs must be an object of input names to values',
      })
      .default({}),
    onFailure: enumOf('onFailure', ON_FAILURE_POLICIES).default('rollback'),
  })
  .strict();

/** A validated request, defaults applied. @public */
export type ValidCreateEnvironmentRequest = z.output<
  typeof createEnvironmentRequestSchema
>;

/**
 * Validates an untrusted `POST /environments` body; throws an InputError
 * naming every bad field and what is allowed.
 * @public
 */
export function parseCreateEnvironmentRequest(
  body: unknown,
): ValidCreateEnvironmentRequest {
  return parseInput(
    createEnvironmentRequestSchema,
    body,
    'create environment request',
  );
}

/**
 * The entity ref of an environment's catalog `Resource` (published by the
 * catalog module, named after the environment, in its configured namespace).
 * @public
 */
export function environmentEntityRef(
  name: string,
  namespace = 'default',
): string {
  return `resource:${namespace}/${name}`;
}
