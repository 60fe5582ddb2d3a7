/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  multicluster?: {
    providers?: {
      /**
       * An emulated fleet started in-process, for local development and demos
       * (@archipelago/multicluster-backend-module-local). `true` enables with defaults.
       */
      emulator?:
        | boolean
        | {
            enabled?: boolean;
            /** Number of clusters (default 6, at most 200). */
            clusters?: number;
            /** Nodes per cluster (default 3). */
            nodesPerCluster?: number;
            /** `true` (default): the third cluster has a NotReady node; a name picks the cluster; `false`: none. */
            degraded?: boolean | string;
            /** First port; fixed ports keep cluster ids stable across restarts. 0 = random (default). */
            basePort?: number;
            /** Port of the fleet's admin endpoint on 127.0.0.1 (faults, stop/start); unset = none. */
            adminPort?: number;
            /**
             * Bearer token the admin endpoint requires (at least 16 characters). When
             * unset, one is generated and kept in `<dataDir>/emulator/admin-token` (mode 0600).
             * @visibility secret
             */
            adminToken?: string;
            labels?: { [key: string]: string };
            /**
             * A folder of workload files (YAML bodies of POST /workloads), created at
             * startup when absent, so the demo fleet runs something from the start.
             */
            workloadsDirectory?: string;
          };
    };
    limits?: {
      /**
       * Nodes one emulated cluster of an environment may have (default 10, at most 50).
       * An environment asking for more is refused with a 400 naming this key.
       */
      emulatedClusterNodes?: number;
    };
    environments?: {
      /**
       * Where the local parts keep emulated clusters, embedded PostgreSQL, the local S3
       * store and the emulator's admin token; made private to the backend's user (0700,
       * 0711 as root so that embedded PostgreSQL's postgres user can pass through).
       */
      dataDir?: string;
      /**
       * The `local` cloud of environments: emulated and kubeconfig clusters,
       * PostgreSQL, S3 buckets and address blocks, with dev-small, dev-large
       * and production mapped onto them. `true` enables with defaults; absent
       * or `false`, the module adds nothing.
       */
      local?:
        | boolean
        | {
            enabled?: boolean;
            /** A shared PostgreSQL server for postgres-database; embedded PostgreSQL when unset. */
            postgres?: {
              host: string;
              port?: number;
              user: string;
              /** @visibility secret */
              password: string;
              database?: string;
              ssl?: boolean;
              /** Host name environments see, when it differs from host. */
              publicHost?: string;
            };
            /** An S3-compatible endpoint for s3-bucket; an in-process s3rver when unset. */
            s3?: {
              endpoint: string;
              region?: string;
              accessKeyId: string;
              /** @visibility secret */
              secretAccessKey: string;
              /** Base URL environments see, when it differs from endpoint. */
              publicEndpoint?: string;
            };
            /** Address pool local-network carves environment networks from (default 10.64.0.0/10). */
            network?: { pool?: string };
          };
    };
  };
}
