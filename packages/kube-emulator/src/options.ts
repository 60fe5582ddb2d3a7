/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { z } from 'zod';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Faults a cluster can be told to show; each looks to a client like the real failure.
 * @public
 */
export const faultsSchema = z
  .object({
    /** Added to every request before it is answered. */
    latencyMs: z.number().min(0).max(600_000),
    /** Uniform random extra latency in [0, jitterMs). */
    jitterMs: z.number().min(0).max(600_000),
    /** Close the listening socket: clients get ECONNREFUSED. */
    refuse: z.boolean(),
    /** Accept TCP connections and never answer: clients time out. */
    hang: z.boolean(),
    /** Fraction of requests (0..1) answered with a 500 InternalError Status. */
    errorRate: z.number().min(0).max(1),
    /** /readyz checks that fail (e.g. "etcd"); unknown names are added as failing checks. */
    failingReadyzChecks: z.array(z.string().min(1).max(253)),
    /** Nodes whose Ready condition turns False: true for all, a number for the first N. */
    nodesNotReady: z.union([z.boolean(), z.number().int().min(0)]),
    /**
     * Tokens answered with 401; "admin", "deploy", "view" and "probe" (and "readOnly", the same
     * as "view") stand for this cluster's own tokens.
     */
    revokedTokens: z.array(z.string().min(1)),
    /** Serve a certificate whose notAfter is in the past: TLS verification fails. */
    expiredCert: z.boolean(),
  })
  .strict();

/**
 * Faults a cluster shows; each looks to a client like the real failure (see the README).
 * @public
 */
export type Faults = z.infer<typeof faultsSchema>;
/** Some faults, to change; the others keep their value. @public */
export type FaultsInput = Partial<Faults>;

export const partialFaultsSchema = faultsSchema.partial().strict();

/** A healthy cluster's faults: none. @public */
export const NO_FAULTS: Faults = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  refuse: false,
  hang: false,
  errorRate: 0,
  failingReadyzChecks: [],
  nodesNotReady: false,
  revokedTokens: [],
  expiredCert: false,
}) as Faults;

const token = z
  .string()
  .min(8)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const quantity = z
  .union([
    z.string().regex(/^[0-9.]+([mkMGTPE]|[KMGTPE]i)?$/),
    z.number().positive(),
  ])
  .transform(v => String(v));

/** A node of an emulated cluster: name, capacity and labels. @public */
export const nodeTemplateSchema = z
  .object({
    /** Node names are `<namePrefix><i>`; defaults to `<cluster name>-node-`. */
    namePrefix: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*)?$/)
      .optional(),
    region: z.string().min(1).default('local'),
    /** Nodes are spread round-robin over these zones; defaults to `<region>a..c`. */
    zones: z.array(z.string().min(1)).min(1).optional(),
    instanceType: z.string().min(1).default('emulated.large'),
    cpu: quantity.default('4'),
    memory: quantity.default('16Gi'),
    pods: z.number().int().positive().max(10_000).default(110),
    ephemeralStorage: quantity.default('100Gi'),
    architecture: z.string().default('amd64'),
    osImage: z.string().default('Ubuntu 22.04.5 LTS'),
    kernelVersion: z.string().default('6.8.0-1019-aws'),
    containerRuntimeVersion: z.string().default('containerd://1.7.24'),
    /** Extra labels on every node. */
    labels: z.record(z.string()).default({}),
  })
  .strict();

/** What every node of a cluster looks like. @public */
export type NodeTemplate = z.input<typeof nodeTemplateSchema>;

export const versionSchema = z
  .object({
    /** e.g. "v1.31.4" or an EKS-style "v1.31.4-eks-abc123". */
    gitVersion: z
      .string()
      .regex(
        /^v\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/,
        'must look like v1.31.4 or v1.31.4-eks-abc123',
      )
      .default('v1.31.4'),
    gitCommit: z.string().optional(),
    buildDate: z.string().optional(),
    goVersion: z.string().default('go1.22.10'),
    platform: z.string().default('linux/amd64'),
  })
  .strict();

/** The schema of {@link ClusterOptions}. @public */
export const clusterOptionsSchema = z
  .object({
    /** Cluster (and kubeconfig context) name; a DNS label. */
    name: z
      .string()
      .regex(DNS_LABEL, 'must be a DNS label (lower case letters, digits, -)')
      .max(63)
      .default('emulator'),
    /** HTTPS port on 127.0.0.1; 0 picks a free one. */
    port: z.number().int().min(0).max(65_535).default(0),
    version: versionSchema.default({}),
    /** Number of nodes. */
    nodes: z.number().int().min(0).max(5_000).default(3),
    nodeTemplate: nodeTemplateSchema.default({}),
    /** Labels added to every node (merged over nodeTemplate.labels). */
    nodeLabels: z.record(z.string()).default({}),
    /** How long a new pod stays Pending/ContainerCreating before it turns Running and Ready. */
    podReadyDelayMs: z.number().int().min(0).max(600_000).default(1000),
    /** How long a Job's pod runs before it Succeeds (after it turned Running). */
    jobDurationMs: z.number().int().min(0).max(3_600_000).default(1000),
    /** How long a deleted pod stays Terminating before it disappears. */
    podTerminationDelayMs: z.number().int().min(0).max(600_000).default(0),
    /** Interval of BOOKMARK events on watches that allow them. */
    bookmarkIntervalMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(30_000),
    /** Fixed bearer tokens per role (handy for dev setups); random ones are generated otherwise. */
    tokens: z
      .object({
        admin: token.optional(),
        deploy: token.optional(),
        view: token.optional(),
        probe: token.optional(),
      })
      .strict()
      .default({}),
    /** The same as `tokens.admin` (kept for existing callers). */
    adminToken: token.optional(),
    /** The same as `tokens.view` (kept for existing callers). */
    readOnlyToken: token.optional(),
    /** Faults in force from the start. */
    faults: partialFaultsSchema.default({}),
    /** Keep objects (and the CA and tokens) in this JSON file across restarts. */
    persistenceFile: z.string().min(1).optional(),
    /** How many watch events are kept for watches resuming from an older resourceVersion. */
    watchHistory: z.number().int().min(10).max(1_000_000).default(2000),
    /** Oldest events are deleted beyond this many per cluster. */
    maxEvents: z.number().int().min(10).max(1_000_000).default(1000),
  })
  .strict();

/** Options of {@link startCluster}. @public */
export type ClusterOptions = z.input<typeof clusterOptionsSchema>;
/** {@link ClusterOptions} with every default applied. @public */
export type ResolvedClusterOptions = z.output<typeof clusterOptionsSchema>;

/** Options of the admin endpoint, for in-process and worker fleets alike. */
const adminOptions = {
  /** Port of the admin HTTP endpoint; 0 picks a free one, null disables it. */
  adminPort: z.number().int().min(0).max(65_535).nullable().default(0),
  /** Bearer token the admin endpoint requires; generated when omitted. */
  adminToken: z
    .string()
    .regex(
      /^[\x21-\x7e]{16,4096}$/,
      'must be 16 to 4096 printable ASCII characters without spaces',
    )
    .optional(),
  /**
   * Where a generated admin token is kept and reused on restart (mode 0600); defaults to
   * `<persistenceDir>/admin-token` when persistenceDir is set.
   */
  adminTokenFile: z.string().min(1).optional(),
};

const namingOptions = {
  namePrefix: z
    .string()
    .regex(DNS_LABEL, 'must be a DNS label (lower case letters, digits, -)')
    .max(50)
    .default('emulator'),
  /** Cluster i listens on basePort + i - 1; free ports are picked when omitted. */
  basePort: z.number().int().min(1).max(65_535).optional(),
  /** Per-cluster overrides: `(i) => options`, i from 1. */
  perCluster: z.function().args(z.number()).returns(z.any()).optional(),
};

function basePortFits(
  v: { basePort?: number; clusters: number },
  ctx: z.RefinementCtx,
) {
  if (v.basePort !== undefined && v.basePort + v.clusters - 1 > 65_535) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['basePort'],
      message: `basePort + clusters - 1 must be at most 65535`,
    });
  }
}

/** The schema of {@link FleetOptions}. @public */
export const fleetOptionsSchema = clusterOptionsSchema
  .omit({ name: true, port: true, persistenceFile: true, adminToken: true })
  .extend({
    /** Number of clusters, named `<namePrefix>-1` … `<namePrefix>-N`. */
    clusters: z.number().int().min(1).max(5_000),
    ...namingOptions,
    ...adminOptions,
    /** Each cluster persists to `<persistenceDir>/<name>.json`. */
    persistenceDir: z.string().min(1).optional(),
    /** How many clusters start at the same time. */
    startConcurrency: z.number().int().min(1).max(1000).default(64),
  })
  .strict()
  .superRefine(basePortFits);

/** What a light cluster of a worker fleet can be given. @public */
export const lightClusterOptionsSchema = clusterOptionsSchema
  .pick({
    version: true,
    nodes: true,
    nodeTemplate: true,
    nodeLabels: true,
    faults: true,
  })
  .extend({ nodes: z.number().int().min(0).max(100).default(3) });

/** The schema of {@link WorkerFleetOptions}. @public */
export const workerFleetOptionsSchema = lightClusterOptionsSchema
  .extend({
    /** Number of light clusters, named `<namePrefix>-1` … `<namePrefix>-N`. */
    clusters: z.number().int().min(1).max(20_000),
    /** Worker processes; defaults to the number of CPUs, at most 4. */
    workers: z.number().int().min(1).max(64).optional(),
    /** Latency added to every answer (the same as faults.latencyMs). */
    latencyMs: z.number().min(0).max(600_000).optional(),
    ...namingOptions,
    ...adminOptions,
    /** How long the workers may take to start every cluster. */
    startTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(600_000),
  })
  .strict()
  .superRefine(basePortFits);

/** Options of {@link startWorkerFleet}. @public */
export type WorkerFleetOptions = Omit<
  z.input<typeof workerFleetOptionsSchema>,
  'perCluster'
> & {
  /** Per-cluster overrides: `(i) => options`, i from 1. */
  perCluster?: (index: number) => Partial<LightClusterOptions>;
};

/** What each light cluster can be given (per cluster through perCluster). @public */
export type LightClusterOptions = z.input<typeof lightClusterOptionsSchema>;

/** Options of {@link startFleet}. @public */
export type FleetOptions = Omit<
  z.input<typeof fleetOptionsSchema>,
  'perCluster'
> & {
  perCluster?: (index: number) => Partial<ClusterOptions>;
};

/** Parses options with a schema, turning zod issues into one error that names each field. */
export function parseOptions<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new Error(`Invalid ${what}: ${formatZodError(result.error)}`);
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = issue.path.join('.');
      if (issue.code === z.ZodIssueCode.unrecognized_keys) {
        const keys = issue.keys.map(k => (path ? `${path}.${k}` : k));
        return `unknown option${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
      }
      return `${path || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
