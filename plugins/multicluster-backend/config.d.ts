/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  /** Archipelago multicluster: cluster inventory, health and environments. */
  multicluster?: {
    /** Where clusters come from. Built-in providers are listed first and win name conflicts; modules add more (emulator, aws, azure, gcp). */
    providers?: {
      /** A static list of clusters. */
      config?: Array<{
        /** Cluster name (unique in this list). */
        name: string;
        /** Display title; defaults to the name. */
        title?: string;
        /** API server URL, https://… */
        url: string;
        /** PEM CA bundle of the API server. */
        caData?: string;
        /** File holding the PEM CA bundle (read at each discovery). */
        caFile?: string;
        /**
         * Bearer token for every role `credentials` does not name. Alone, it serves
         * probing, the Kubernetes plugin and writes alike (a startup warning says so).
         * @visibility secret
         */
        token?: string;
        /** One bearer token per role, for least privilege. */
        credentials?: {
          /**
           * The prober's: readyz, version, nodes.
           * @visibility secret
           */
          probe?: string;
          /**
           * What Backstage's Kubernetes plugin reads with.
           * @visibility secret
           */
          view?: string;
          /**
           * Writes (multicluster:deploy, workloads).
           * @visibility secret
           */
          deploy?: string;
        };
        /** Disable TLS verification. Shown in the cluster's status; avoid. */
        skipTLSVerify?: boolean;
        /** Labels for selectors and permission conditions. */
        labels?: { [key: string]: string };
        /** aws, azure, gcp, local or other. */
        cloud?: 'aws' | 'azure' | 'gcp' | 'local' | 'other';
        region?: string;
        /** eks, aks, gke, openshift…; detected by probing when omitted. */
        distribution?: string;
      }>;
      /** Kubeconfig files; one cluster per matching context. */
      kubeconfig?: Array<{
        /** Path (`~` expanded); default $KUBECONFIG or ~/.kube/config. */
        file?: string;
        /** Context name globs (`*`, `?`); default all contexts. */
        contexts?: string[];
        labels?: { [key: string]: string };
        cloud?: 'aws' | 'azure' | 'gcp' | 'local' | 'other';
        region?: string;
        /** Timeout of exec credential plugins, seconds (default 30). */
        execTimeoutSeconds?: number;
        /**
         * A context per role, `{context}` standing for the cluster's context
         * (e.g. `{context}-view`); it must point at the same server. Roles not
         * named use the cluster's own context. Role contexts are not clusters.
         */
        roleContexts?: { probe?: string; view?: string; deploy?: string };
      }>;
      /**
       * Catalog Resource entities of spec.type kubernetes-cluster (as Backstage's EKS/GKE
       * catalog modules emit). `true` enables with defaults.
       */
      catalog?:
        | boolean
        | {
            enabled?: boolean;
            /**
             * Bearer token for these clusters, for every role `credentials` does not name; anonymous otherwise.
             * @visibility secret
             */
            token?: string;
            /** One bearer token per role. */
            credentials?: {
              /** @visibility secret */
              probe?: string;
              /** @visibility secret */
              view?: string;
              /** @visibility secret */
              deploy?: string;
            };
            labels?: { [key: string]: string };
          };
    };
    /** The health prober. */
    health?: {
      /** Seconds between probe rounds (default 60). */
      intervalSeconds?: number;
      /** Timeout of each API call, seconds (default 5). */
      timeoutSeconds?: number;
      /** Clusters probed at once (default 32). */
      concurrency?: number;
      /**
       * Upper bound of the adaptive probe concurrency (default four times `concurrency`,
       * at most 1024). A round starts at `concurrency` and, once per window of that many
       * probes, widens by an eighth while latency stays within twice the best window's
       * median (+50 ms) and at most half the probes fail; otherwise it narrows to 70%,
       * never below `concurrency`. Set it to `concurrency` for a fixed limit.
       */
      maxConcurrency?: number;
      /** Consecutive equal probes needed to change a cluster's health (default 2). */
      flapThreshold?: number;
      /** Probes kept per cluster (default 100). */
      historyLimit?: number;
      /** Oldest probe kept, hours (default 24). */
      historyMaxAgeHours?: number;
      /** readyz checks whose failure only degrades a cluster. */
      nonCriticalChecks?: string[];
    };
    /** Cluster discovery. */
    discovery?: {
      /** Seconds between discovery rounds (default 300). */
      intervalSeconds?: number;
      /** Timeout of one provider's discovery, seconds (default 120). */
      timeoutSeconds?: number;
    };
    /** Environments as a Service. */
    environments?: {
      /** `false` drops the templates and type mappings modules contribute; only these below remain. */
      defaults?: boolean;
      /**
       * Encrypts secret capabilities (database passwords) at rest; at least 32 characters.
       * @visibility secret
       */
      secretKey?: string;
      /** Prefix of every resource name (default archi). */
      resourcePrefix?: string;
      /** Seconds a replica's claim on an environment lasts without renewal (default 30). */
      leaseSeconds?: number;
      /** A component's create or delete fails after this many minutes (default 30). */
      componentTimeoutMinutes?: number;
      ttl?: {
        defaultMinutes?: number;
        checkIntervalSeconds?: number;
        /** An extension may put the expiry at most this many minutes from now (default 43200). */
        maxMinutes?: number;
        /** Owners get an event (and a notification) this long before expiry (default 60). */
        warnBeforeMinutes?: number;
      };
      drift?: { enabled?: boolean; intervalSeconds?: number };
      /** Per-owner quotas, checked before any work; over one is a 429 naming it. */
      quotas?: {
        /** Environments that are not destroyed, per owner (default 10). */
        environmentsPerOwner?: number;
        /** Dedicated database servers (not the shared one), per owner (default 3). */
        dedicatedDatabaseServersPerOwner?: number;
      };
      /** Revisions kept per environment (default 20; the current one always stays). */
      revisions?: { keep?: number };
      /** ISO 4217 currency of the templates' hourly prices (default USD). */
      currency?: string;
      /** Capabilities written into the environment's own cluster (ConfigMap and Secret). */
      connectionDetails?: {
        enabled?: boolean;
        /** Namespace of the ConfigMap and Secret (default archipelago). */
        namespace?: string;
        timeoutSeconds?: number;
      };
      /** Component templates by name: { kind, driver, description, inputs }. */
      templates?: {
        [name: string]: {
          kind?: 'network' | 'kubernetes' | 'database' | 'objectStore';
          driver?: string;
          description?: string;
          inputs?: { [name: string]: any };
          /** Estimated price per hour, in `currency`: plans and the UI show the monthly cost. */
          hourlyPrice?: number;
        };
      };
      /** Environment types: types.<type>.clouds.<cloud>.<component> = { template, inputs }. */
      types?: {
        [type: string]: {
          title?: string;
          description?: string;
          clouds?: {
            [cloud: string]: {
              [component: string]: {
                template: string;
                inputs?: { [name: string]: any };
              };
            };
          };
        };
      };
    };
    /**
     * Workloads that stay placed: the reconciler's rounds (a scheduler task of
     * global scope) and its bounds. Secret values of workloads are sealed with
     * `multicluster.environments.secretKey`.
     */
    workloads?: {
      /** `false` serves no workload routes and runs no reconciler (default true). */
      enabled?: boolean;
      /** Seconds between reconcile rounds (default 30); changes and health transitions start one at once. */
      intervalSeconds?: number;
      /** Cluster operations (one workload on one cluster) at once (default 32). */
      concurrency?: number;
      /** Bound of one workload's work on one cluster in a round, seconds (default 30). */
      clusterTimeoutSeconds?: number;
      /** Bound of each Kubernetes API call, seconds (default 10). */
      requestTimeoutSeconds?: number;
      /** Revisions kept per workload (default 10). */
      revisionHistoryLimit?: number;
      /** Events kept per workload (default 1000). */
      eventLimit?: number;
      /** The server-side apply field manager (default archipelago-workloads). */
      fieldManager?: string;
      failover?: {
        /** Seconds a cluster may be unhealthy or unreachable before its replicas move (default 60; a workload may set its own). */
        graceSeconds?: number;
      };
      /** How often a round in progress looks at rollouts and changes, milliseconds (default 1000). */
      pollMilliseconds?: number;
    };
    /**
     * Global DNS of workloads: the zones a workload's `dns.hostname` may lie in,
     * each published by a DNS provider a module adds (`route53` from the aws
     * module, `local` from the local module), and the reconciler's rounds.
     */
    dns?: {
      /** Zones; `{ name, provider }` plus the provider's own keys (route53: `account`, `hostedZoneId`). */
      zones?: Array<{
        /** The zone's name, e.g. `example.com`. */
        name: string;
        /** The provider type: `local`, `route53`… */
        provider: string;
        /** route53: a key of `multicluster.providers.aws` whose credentials (and `endpoints.route53`) are used. */
        account?: string;
        /** route53: the hosted zone's id. */
        hostedZoneId?: string;
      }>;
      /** Seconds between DNS rounds (default 30); health transitions and workload changes start one at once. */
      intervalSeconds?: number;
      /** Bound of one provider call, seconds (default 60). */
      providerTimeoutSeconds?: number;
      /** Bound of each Kubernetes read of a Service/Ingress address, seconds (default 10). */
      requestTimeoutSeconds?: number;
      /** Marks the records this installation owns, ExternalDNS-style (default `archipelago`). */
      ownerId?: string;
      /** The local DNS server of the local module (development). */
      local?: {
        /** UDP and TCP port (default 5353; 0 = a free port). */
        port?: number;
        /** Address it listens on (default 127.0.0.1). */
        host?: string;
        /** Client CIDR → geography (continent code or ISO country code); EDNS Client Subnet is honoured first. */
        clientGeographies?: { [cidr: string]: string };
      };
    };
    /**
     * Bounds on what one request may ask, checked before any work. Over a
     * limit is a 400 (413 for a body) naming the limit and its value. Each is
     * a whole number from 1 to a hard ceiling.
     */
    limits?: {
      /** Characters of a label selector (default 2000, at most 10000). */
      selectorLength?: number;
      /** Requirements of a label selector (default 100, at most 500). */
      selectorRequirements?: number;
      /** Bytes of a JSON request body (default 102400, at most 16 MiB). */
      requestBodyBytes?: number;
      /** Nesting of objects and arrays in a JSON request body (default 32, at most 256). */
      requestBodyDepth?: number;
      /** Bytes of the manifests of one `multicluster:deploy`, YAML text or objects (default 2 MiB). */
      manifestsBytes?: number;
      /** Objects in the manifests of one `multicluster:deploy` (default 1000, at most 20000). */
      manifestsObjects?: number;
      /** Bytes of one manifest object, as a real API server allows (default 1 MiB, at most 3 MiB). */
      manifestObjectBytes?: number;
    };
    /** Who may read cluster connection details (internal endpoint). */
    connections?: {
      /**
       * Plugin ids that may read them, by the role of the identity handed out:
       * `{ view: [kubernetes], deploy: [scaffolder] }` (default: view for
       * kubernetes). Deploy is only answered on behalf of a user who holds
       * multicluster.cluster.deploy. The older list form lists plugins for both roles.
       */
      allowedPlugins?: string[] | { view?: string[]; deploy?: string[] };
    };
  };
}
