/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  multicluster?: {
    providers?: {
      /**
       * GKE discovery. One entry per identity; the key names the provider
       * (`gcp-gke:<key>`).
       */
      gcp?: {
        [key: string]: {
          /** Projects to list: an id, or `{ projectId, locations }` (default `-`, all locations). */
          projects: Array<string | { projectId: string; locations?: string[] }>;
          /**
           * Service account key or external account (workload identity federation)
           * JSON; without it Application Default Credentials are used.
           * @visibility secret
           */
          credentials?: string;
          /** GKE API endpoint, e.g. a Private Service Connect endpoint (default https://container.googleapis.com). */
          endpoint?: string;
          /** Connect to each cluster's `public` (default) or `private` endpoint. */
          endpointType?: 'public' | 'private';
          /** Backstage Kubernetes plugin auth provider: `googleServiceAccount` (default) or `google`. */
          kubernetesPluginAuthProvider?: 'googleServiceAccount' | 'google';
          /** Labels added to every cluster of this entry. */
          labels?: { [key: string]: string };
        };
      };
    };
  };
}
