/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ComponentKind,
  EnvironmentCloud,
  ProviderState,
} from '@archipelago/multicluster-common';
import type { ClusterCredentialsResolver, ClusterRole } from './providers';

/**
 * What a driver gets to create or inspect one component of an environment.
 * @public
 */
export interface ComponentContext {
  /** Environment name. */
  environment: string;
  /** Component key in the environment (e.g. `network`, `cluster`, `database`). */
  component: string;
  /** Deterministic resource name for this component; create must be idempotent on it. */
  resourceName: string;
  /** Inputs from the template, with `${{ components.x.y }}` references already resolved. */
  inputs: Record<string, unknown>;
  /** Capabilities of the components this one depends on, by component key. */
  dependencies: Record<string, Record<string, unknown>>;
  /**
   * Tags to put on every cloud resource the driver creates (environment name,
   * type, owner), so resources can be traced back and listed. Keys and values
   * are plain strings without secrets.
   */
  tags: Record<string, string>;
  /** Logger of the environment's run. */
  logger: LoggerService;
  /** Aborted when the run is cancelled or the backend stops. */
  signal?: AbortSignal;
}

/** A created component, as drivers see it after create: its stored state and capabilities. @public */
export interface ExistingComponentContext extends ComponentContext {
  /** The state create returned. */
  state?: Record<string, unknown>;
  /** The capabilities create returned, secrets in clear (drivers run inside the engine). */
  capabilities: Record<string, unknown>;
}

/**
 * How the inventory reaches a cluster a `kubernetes` component created.
 * Credentials are resolved lazily and never stored by the engine.
 * @public
 */
export interface ComponentClusterAccess {
  /** API server URL. */
  url: string;
  /** PEM CA bundle of the API server. */
  caData?: string;
  /** Disable TLS verification (shown in the cluster's status). */
  skipTLSVerify?: boolean;
  /** Serves every role `roleCredentials` does not name (see `DiscoveredCluster`). */
  credentials: ClusterCredentialsResolver;
  /**
   * One identity per role where the cluster has them (see `ClusterRole`):
   * the engine writes connection details with `deploy`, the inventory probes
   * with `probe`. Roles left out use `credentials`.
   */
  roleCredentials?: Partial<Record<ClusterRole, ClusterCredentialsResolver>>;
  /** The cloud region, if any. */
  region?: string;
  /** eks, aks, gke, emulator…; detected by probing when omitted. */
  distribution?: string;
  /** Lifecycle state at the cloud. */
  providerState?: ProviderState;
}

/**
 * Versioned contracts between components. The capability names of a kind are
 * fixed (see `capabilityContracts`), but what they mean differs per cloud: an
 * EKS cluster needs EC2 subnet ids, not an Azure subnet resource id. A network
 * driver declares the contract it `provides` (e.g. `aws/v1`); a driver that
 * reads a network's capabilities declares the contracts it `consumes`. The
 * engine checks them when it validates config, before anything is created.
 * @public
 */
export interface ComponentDriverContracts {
  /** The contract this driver provides, e.g. `aws/v1`. */
  provides?: string;
  /** The contracts it accepts from each kind it reads capabilities of. */
  consumes?: Partial<Record<ComponentKind, readonly string[]>>;
}

/**
 * What a create returns: capabilities per the kind's contract (secrets included;
 * the engine encrypts and hides them), and state the driver needs for delete/status.
 * @public
 */
export interface ComponentCreateResult {
  /** Capabilities per the kind's contract, secrets included. */
  capabilities: Record<string, unknown>;
  /** Opaque, JSON-serialisable driver state (ids, ARNs). Must not hold secrets. */
  state?: Record<string, unknown>;
}

/**
 * What a drift check found: a line for people and the fields or resources
 * that differ, so the UI and events can say what, not only that.
 * @public
 */
export interface ComponentDriftReport {
  /** One line for people, e.g. `2 nodes instead of 3`. */
  summary: string;
  /** What differs, one entry per field or resource. */
  differences: Array<{
    /** The input or capability that differs, e.g. `nodes`. */
    field?: string;
    /** The resource that differs or is missing, e.g. `database archi_demo_db`. */
    resource?: string;
    expected?: string;
    actual?: string;
  }>;
}

/**
 * Which inputs a driver can change on an existing component. An input listed
 * in `inPlace` is changed by `update` (with the capabilities it changes); one
 * in `immutable` can never change once created (an update that changes it is
 * refused, naming it); any other input replaces the component: a new one is
 * created, its dependants move to it, then the old one is deleted.
 * @public
 */
export interface ComponentDriverUpdates {
  /** Input name → the capabilities a change of it may change. */
  inPlace?: Record<string, readonly string[]>;
  /** Inputs that can never change once created. */
  immutable?: readonly string[];
}

/** What `update` gets: the created component, its new inputs, and what changed. @public */
export interface ComponentUpdateContext extends ExistingComponentContext {
  /** The inputs the component has now (resolved); `inputs` holds the new ones. */
  previousInputs: Record<string, unknown>;
  /** Names of the inputs that differ. */
  changedInputs: string[];
}

/** A component's state, as its driver reads it. @public */
export interface ComponentStatus {
  /** The state at the cloud, or `missing` when it is gone. */
  state: ProviderState | 'missing';
  /** Why, when the state needs explaining. */
  message?: string;
}

/** Builds, reads and deletes one kind of component on one cloud. @public */
export interface ComponentDriver {
  /** Driver id as used in templates, e.g. `emulator-cluster`, `aws-rds-postgres`. */
  readonly id: string;
  /** The component kind it builds. */
  readonly kind: ComponentKind;
  /** Cloud the driver targets (`local`, `aws`, `azure`, `gcp`). */
  readonly cloud: string;
  /** A human line for plans and the UI. */
  readonly description?: string;
  /** What it provides to, and requires from, the other components. */
  readonly contracts?: ComponentDriverContracts;
  /**
   * Validates inputs before anything is created; throws an Error (or InputError)
   * whose message names the input and what is allowed. Inputs that hold a
   * `${{ }}` reference are left out, since they resolve only at create time.
   */
  validateInputs?(inputs: Record<string, unknown>): void;
  /**
   * Creates the component, or returns the existing one: it must be idempotent on
   * `resourceName`, since the engine calls it again after a restart mid-create.
   */
  create(ctx: ComponentContext): Promise<ComponentCreateResult>;
  /** Idempotent: deleting what is gone succeeds. */
  delete(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<void>;
  /** The component's current state. */
  status(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<ComponentStatus>;
  /**
   * Which inputs `update` changes in place, and which never change. Without
   * `update`, every input change replaces the component.
   */
  readonly updates?: ComponentDriverUpdates;
  /**
   * Checks a change of inputs before anything is applied; throws an Error
   * whose message names the input and why it cannot change so (for example a
   * bucket's versioning, which can be enabled but never disabled again).
   */
  validateUpdate?(change: {
    previous: Record<string, unknown>;
    next: Record<string, unknown>;
    changed: string[];
  }): void;
  /**
   * Changes a created component to new inputs in place, for the inputs
   * `updates.inPlace` lists. Idempotent: the engine calls it again after a
   * restart, and with the previous inputs to revert a failed change. Returns
   * every capability (secrets included) and the new state.
   */
  update?(ctx: ComponentUpdateContext): Promise<ComponentCreateResult>;
  /**
   * For `database` drivers: whether a component with these inputs runs a
   * server of its own (an RDS instance, an embedded PostgreSQL), counted by
   * the per-owner quota of dedicated database servers.
   */
  dedicatedServer?(inputs: Record<string, unknown>): boolean;
  /**
   * Returns what drifted (a line, or a report naming the fields and
   * resources that differ), or undefined when the component matches.
   */
  checkDrift?(
    ctx: ExistingComponentContext,
  ): Promise<string | ComponentDriftReport | undefined>;
  /**
   * Called when the backend starts, for every created component: drivers that
   * run local processes (emulated clusters, embedded databases) start them
   * again. Returns new capabilities when they changed (a port moved).
   */
  attach?(
    ctx: ExistingComponentContext,
  ): Promise<{ capabilities?: Record<string, unknown> } | void>;
  /** For `kubernetes` drivers: how the inventory reaches the cluster. */
  clusterAccess?(
    ctx: ExistingComponentContext,
  ): Promise<ComponentClusterAccess>;
  /** Stops what the driver runs in this process (backend shutdown); created resources stay. */
  shutdown?(): Promise<void>;
}

/**
 * A component template: which driver implements a kind, with default inputs.
 * Inputs may reference other components' capabilities with
 * `${{ components.<key>.<capability> }}`.
 * @public
 */
export interface ComponentTemplateDefinition {
  /** The component kind. */
  kind: ComponentKind;
  /** Id of the driver that implements it. */
  driver: string;
  /** A human line for plans and the UI. */
  description?: string;
  /** Default inputs; an environment's own inputs override them. */
  inputs?: Record<string, unknown>;
  /** Estimated price per hour of one component of this template (plans and the UI show a monthly cost). */
  hourlyPrice?: number;
}

/**
 * How an environment type is built on one cloud: component key (`network`,
 * `kubernetes`, …) to the template it uses, with inputs over the template's.
 * @public
 */
export type EnvironmentCloudMapping = Record<
  string,
  { template: string; inputs?: Record<string, unknown> }
>;

/**
 * Extension point through which modules add component drivers, the templates
 * of those drivers, and the mappings of environment types onto them. The core
 * plugin ships the generic type names (`dev-small`, `dev-large`, `production`)
 * and no template or mapping of its own; config
 * (`multicluster.environments.templates|types`) may add and override.
 * @public
 */
export interface MulticlusterDriversExtensionPoint {
  /** Adds component drivers. */
  addComponentDriver(...drivers: ComponentDriver[]): void;
  /** Templates by name; two modules may not contribute the same name. */
  addComponentTemplates(
    templates: Record<string, ComponentTemplateDefinition>,
  ): void;
  /**
   * Maps environment types onto templates for one cloud, e.g.
   * `addEnvironmentTypeMappings('aws', { production: { network: { template: 'aws-vpc-production' }, … } })`.
   * One type on one cloud has one mapping: a second contribution is a startup error.
   */
  addEnvironmentTypeMappings(
    cloud: EnvironmentCloud,
    mappings: Record<string, EnvironmentCloudMapping>,
  ): void;
}
