/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

export interface Config {
  multicluster?: {
    providers?: {
      /**
       * AKS discovery. One entry per identity/cloud; the key names the provider
       * (`azure-aks:<key>`).
       */
      azure?: {
        [key: string]: {
          /** Subscriptions to list: an id, or `{ subscriptionId, resourceGroups }`. */
          subscriptions: Array<
            string | { subscriptionId: string; resourceGroups?: string[] }
          >;
          /** Entra ID tenant (directory) id. */
          tenantId?: string;
          /** Service principal or user-assigned managed identity client id. */
          clientId?: string;
          /**
           * Service principal secret; without it DefaultAzureCredential is used
           * (workload identity, managed identity, environment, Azure CLI).
           * @visibility secret
           */
          clientSecret?: string;
          /** Entra ID authority for sovereign clouds, e.g. https://login.microsoftonline.us. */
          authorityHost?: string;
          /** Azure Resource Manager endpoint, e.g. https://management.usgovcloudapi.net. */
          endpoint?: string;
          /**
           * How to authenticate to API servers: `entraId` (a token for the AKS server
           * application), `clusterUser` (listClusterUserCredentials, for local accounts),
           * or `auto` (Entra ID when the cluster has it enabled). Default `auto`.
           */
          clusterAuth?: 'auto' | 'entraId' | 'clusterUser';
          /** Token scope of the AKS server application (default 6dae42f8-4368-4678-94ff-3960e28e3630/.default). */
          serverScope?: string;
          /** Backstage Kubernetes plugin auth provider for Entra ID clusters: `azure` (default) or `aks`. */
          kubernetesPluginAuthProvider?: 'azure' | 'aks';
          /** Connect to the private FQDN when a cluster has one. */
          preferPrivateFqdn?: boolean;
          /** ARM retries, with exponential backoff and Retry-After (default 4). */
          maxRetries?: number;
          /** Labels added to every cluster of this entry. */
          labels?: { [key: string]: string };
          /**
           * An Entra ID identity per cluster role (least privilege) for Entra ID
           * clusters: a service principal (tenantId, clientId, clientSecret) or a
           * user-assigned managed identity (clientId), each given an Azure RBAC role
           * on the clusters (probe and view: Azure Kubernetes Service RBAC Reader;
           * deploy: RBAC Writer on its namespaces). Roles not named use the entry's identity.
           */
          clusterIdentities?: {
            probe?: {
              clientId: string;
              tenantId?: string;
              /** @visibility secret */
              clientSecret?: string;
            };
            view?: {
              clientId: string;
              tenantId?: string;
              /** @visibility secret */
              clientSecret?: string;
            };
            deploy?: {
              clientId: string;
              tenantId?: string;
              /** @visibility secret */
              clientSecret?: string;
            };
          };
        };
      };
    };
    /** Environments as a Service on Azure (the azure component drivers). */
    environments?: {
      azure?: {
        subscriptionId: string;
        /** Region (default westeurope). */
        location?: string;
        /** ARM endpoint of a sovereign cloud. */
        endpoint?: string;
        tenantId?: string;
        clientId?: string;
        /** @visibility secret */
        clientSecret?: string;
        /** The storage account Blob containers are created in (azure-blob-container). */
        storage?: {
          accountName: string;
          /** @visibility secret */
          accountKey?: string;
          blobEndpoint?: string;
        };
      };
    };
  };
}
