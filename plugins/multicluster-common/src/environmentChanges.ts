/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { z } from 'zod';
import type { ComponentKind } from './capabilities';
import {
  type CapabilityValue,
  ENVIRONMENT_CLOUDS,
  ENVIRONMENT_TTL_MAX_MINUTES,
  ENVIRONMENT_TTL_MIN_MINUTES,
  type EnvironmentCloud,
  ON_FAILURE_POLICIES,
  type OnFailurePolicy,
  environmentNameProblem,
} from './environments';
import { parseInput } from './validation';

// Changing environments that exist: plans of an update (and of a rollback or
// heal, which go through the same plan and apply), revisions, promotion, TTL
// extension, cost and drift. Names here are the REST contract's.

/**
 * What applying a change does to one component:
 * `unchanged`; `create` (new in the target); `update` (changed in place by its
 * driver); `replace` (a new resource is created, dependants are moved to it,
 * then the old one is deleted); `recreate` (heal: created again under its
 * name); `delete` (not in the target).
 * @public
 */
export const COMPONENT_CHANGE_ACTIONS = [
  'unchanged',
  'create',
  'update',
  'replace',
  'recreate',
  'delete',
] as const;

/** What applying a change does to one component (see `COMPONENT_CHANGE_ACTIONS`). @public */
export type ComponentChangeAction = (typeof COMPONENT_CHANGE_ACTIONS)[number];

/**
 * How one input of a component changes: `in-place` (its driver updates it on
 * the existing resource), `replace` (its driver cannot, so the component is
 * replaced) or `dependency` (it reads a capability of a component that
 * changes, so its value is known only when that one is applied).
 * @public
 */
export interface InputChange {
  /** Input name, e.g. `nodes`. */
  name: string;
  /** The current value. */
  from?: unknown;
  /** The new value. */
  to?: unknown;
  /** How the change is applied. */
  how: 'in-place' | 'replace' | 'dependency';
}

/** How one capability changes; secret ones never carry values. @public */
export interface CapabilityChange {
  /** Capability name, e.g. `endpoint`. */
  name: string;
  /** Whether the value is a secret (its values are never shown). */
  secret: boolean;
  /** The current value (absent for secrets). */
  from?: CapabilityValue;
  /** The new value when it is known before applying. */
  to?: CapabilityValue;
  /** True when the new value is known only once the change is applied. */
  knownAfterApply: boolean;
}

/** The estimated cost of an environment, from the hourly prices templates declare. @public */
export interface EnvironmentCost {
  /** ISO 4217 currency of the prices, e.g. `USD`. */
  currency: string;
  /** Sum of the priced components, per hour. */
  hourly: number;
  /** `hourly` × 730 hours. */
  monthly: number;
  /** Hourly price by component key, priced components only. */
  components: Record<string, number>;
  /** Components whose template declares no price (so the total is a lower bound). */
  unpriced: string[];
}

/** One component of a change plan. @public */
export interface ComponentChangePlan {
  /** Component key in the environment type. */
  key: string;
  /** The kind of component. */
  kind: ComponentKind;
  /** What applying does to it. */
  action: ComponentChangeAction;
  /** Template after the change (before it, for `delete`). */
  template: string;
  /** Template before the change, when it changes. */
  fromTemplate?: string;
  /** Driver after the change. */
  driver: string;
  /** Driver before the change, when it changes. */
  fromDriver?: string;
  /** How each input changes. */
  inputs: InputChange[];
  /** How each capability changes. */
  capabilities: CapabilityChange[];
  /** Why the action is what it is, one line each. */
  reasons: string[];
}

/** What `PUT /environments/:name?dryRun=true` (and rollback, heal) answers. @public */
export interface EnvironmentChangePlan {
  /** The environment name. */
  environment: string;
  /** The change planned. */
  operation: 'update' | 'rollback' | 'heal';
  /** The revision the environment is at. */
  fromRevision: number;
  /** The revision applying creates (the same for a heal, which changes no desired state). */
  toRevision: number;
  /** Type, cloud and TTL now. */
  from: { type: string; cloud: string; ttlMinutes?: number };
  /** Type, cloud and TTL after the change. */
  to: { type: string; cloud: string; ttlMinutes?: number };
  /** Every component of the current and the target environment. */
  components: ComponentChangePlan[];
  /** Changed components by stage, in dependency order; a stage runs in parallel. */
  stages: string[][];
  /** False when applying would change nothing but the TTL. */
  changed: boolean;
  /** Estimated cost now and after the change. */
  cost: { from: EnvironmentCost; to: EnvironmentCost };
}

/** A detected difference between what exists and what an environment recorded. @public */
export interface DriftDifference {
  /** The input or capability that differs, e.g. `nodes`. */
  field?: string;
  /** The cloud resource that differs or is missing, e.g. `database archi_demo_database`. */
  resource?: string;
  /** What the environment recorded. */
  expected?: string;
  /** What exists. */
  actual?: string;
}

/** What the drift check found on one component. @public */
export interface ComponentDrift {
  /** One line for people. */
  summary: string;
  /** What differs. */
  differences: DriftDifference[];
  /** ISO timestamp of the check that found it. */
  detectedAt?: string;
}

/** One revision of an environment: its desired state and what it produced. @public */
export interface EnvironmentRevision {
  /** Revision number, from 1. */
  revision: number;
  /** The change that made it. */
  operation: 'create' | 'update' | 'rollback';
  /** `applying` while it is being applied; `failed` when it was reverted. */
  status: 'applying' | 'applied' | 'failed';
  /** True for the revision the environment is at. */
  current: boolean;
  /** For a rollback, the revision it restored. */
  restores?: number;
  /** Environment type of the revision. */
  type: string;
  /** Cloud of the revision. */
  cloud: string;
  /** Request inputs, by component. */
  inputs: Record<string, unknown>;
  /** TTL requested with it. */
  ttlMinutes?: number;
  /** ISO timestamp of its creation. */
  createdAt: string;
  /** Entity ref of who made it. */
  createdBy?: string;
  /** Why it failed, or what it restored. */
  reason?: string;
  /** Components as the revision produced them. */
  components: Array<{
    key: string;
    kind: ComponentKind;
    template: string;
    driver: string;
    inputs: Record<string, unknown>;
    capabilities: Record<string, CapabilityValue>;
  }>;
  /** Estimated cost of the revision. */
  cost: EnvironmentCost;
}

const TTL_RULE = `between ${ENVIRONMENT_TTL_MIN_MINUTES} and ${ENVIRONMENT_TTL_MAX_MINUTES}`;

const ttlMinutes = (field: string) =>
  z
    .number({ invalid_type_error: `${field} must be a number of minutes` })
    .int(`${field} must be a whole number of minutes`)
    .min(ENVIRONMENT_TTL_MIN_MINUTES, `${field} must be ${TTL_RULE}`)
    .max(ENVIRONMENT_TTL_MAX_MINUTES, `${field} must be ${TTL_RULE}`);

const componentInputs = z.record(
  z.record(z.unknown(), {
    invalid_type_error: 'must be an object of input names to values',
  }),
  {
    invalid_type_error: 'inputs must be an object of component keys to inputs',
  },
);

/** Body of `PUT /environments/:name`. @public */
export interface UpdateEnvironmentRequest {
  /** The environment type to move to (default: the current one). */
  type?: string;
  /** Must be the environment's cloud: an update never moves clouds (promote instead). */
  cloud?: EnvironmentCloud;
  /** Per-component input overrides; replaces the current ones when given. */
  inputs?: Record<string, Record<string, unknown>>;
  /** A new TTL, counted from now. */
  ttlMinutes?: number;
}

/** zod schema of `PUT /environments/:name`. @public */
export const updateEnvironmentRequestSchema = z
  .object({
    type: z.string().trim().min(1, 'type must not be empty').optional(),
    cloud: z
      .enum(ENVIRONMENT_CLOUDS, {
        errorMap: () => ({
          message: `cloud must be one of ${ENVIRONMENT_CLOUDS.join(', ')}`,
        }),
      })
      .optional(),
    inputs: componentInputs.optional(),
    ttlMinutes: ttlMinutes('ttlMinutes').optional(),
  })
  .strict();

/** Validates an untrusted update body; throws an InputError naming every bad field. @public */
export function parseUpdateEnvironmentRequest(
  body: unknown,
): z.output<typeof updateEnvironmentRequestSchema> {
  return parseInput(
    updateEnvironmentRequestSchema,
    body,
    'update environment request',
  );
}

/** Body of `POST /environments/:name/rollback`. @public */
export interface RollbackEnvironmentRequest {
  /** The revision to return to. */
  revision: number;
}

/** zod schema of `POST /environments/:name/rollback`. @public */
export const rollbackEnvironmentRequestSchema = z
  .object({
    revision: z
      .number({
        required_error: 'revision is required: a revision number',
        invalid_type_error: 'revision must be a revision number',
      })
      .int('revision must be a whole number')
      .min(1, 'revision must be 1 or more'),
  })
  .strict();

/** Body of `POST /environments/:name/extend`. @public */
export interface ExtendEnvironmentRequest {
  /** Minutes added to the current expiry. */
  ttlMinutes: number;
}

/** zod schema of `POST /environments/:name/extend`. @public */
export const extendEnvironmentRequestSchema = z
  .object({
    ttlMinutes: ttlMinutes('ttlMinutes'),
  })
  .strict();

/** Body of `POST /environments/:name/promote`. @public */
export interface PromoteEnvironmentRequest {
  /** Name of the new environment. */
  name: string;
  /** Environment type of the new environment. */
  type: string;
  /** Cloud of the new environment. */
  cloud: EnvironmentCloud;
  /** Owner of the new environment (default: the source's owner). */
  owner?: string;
  /** TTL of the new environment. */
  ttlMinutes?: number;
  /** What happens when creating fails. */
  onFailure?: OnFailurePolicy;
}

/** zod schema of `POST /environments/:name/promote`. @public */
export const promoteEnvironmentRequestSchema = z
  .object({
    name: z.string().superRefine((name, ctx) => {
      const problem = environmentNameProblem(name);
      if (problem)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }),
    type: z.string().trim().min(1, 'type must not be empty'),
    cloud: z.enum(ENVIRONMENT_CLOUDS, {
      errorMap: () => ({
        message: `cloud must be one of ${ENVIRONMENT_CLOUDS.join(', ')}`,
      }),
    }),
    owner: z.string().trim().min(1).max(255).optional(),
    ttlMinutes: ttlMinutes('ttlMinutes').optional(),
    onFailure: z.enum(ON_FAILURE_POLICIES).optional(),
  })
  .strict();

/** What a promotion carries over from the source, and what it leaves behind. @public */
export interface PromotionInputs {
  /** Request inputs of the new environment, by component. */
  carried: Record<string, Record<string, unknown>>;
  /** Inputs of the source the target cannot take, with why (`inputs.database.server: …`). */
  dropped: Array<{ path: string; reason: string }>;
}

/** Answer of `GET /environments/:name/secrets/:component/:capability`. @public */
export interface RevealedSecret {
  /** The environment name. */
  environment: string;
  /** Component key. */
  component: string;
  /** Capability name. */
  capability: string;
  /** The secret value: show it, never log it. */
  value: string;
}

/** Hours in the estimated month of {@link EnvironmentCost}. @public */
export const HOURS_PER_MONTH = 730;
