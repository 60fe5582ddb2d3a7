/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';
import { z } from 'zod';
import {
  configLabelsSchema,
  httpUrlSchema,
  readProviderEntries,
  refineUnique,
} from '@archipelago/multicluster-node';

/** Where the module reads its config. */
export const AZURE_CONFIG_ROOT = 'multicluster.providers.azure';

/** The Entra ID application of the AKS API server; `/.default` asks for its token. @public */
export const AKS_SERVER_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

/** How the inventory authenticates to AKS API servers. @public */
export const AZURE_CLUSTER_AUTH_MODES = [
  'auto',
  'entraId',
  'clusterUser',
] as const;
/** Backstage Kubernetes plugin auth providers for AKS. @public */
export const AZURE_KUBERNETES_PLUGIN_AUTH = ['azure', 'aks'] as const;

const UUID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// Resource group names: 1-90 of letters, digits, underscores, hyphens, periods and
// parentheses, not ending in a period.
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

const httpsUrl = httpUrlSchema();

const subscription = z.preprocess(
  value => (typeof value === 'string' ? { subscriptionId: value } : value),
  z
    .object({
      subscriptionId: z
        .string()
        .regex(UUID, 'must be a subscription id (a GUID)'),
      resourceGroups: z
        .array(
          z.string().regex(RESOURCE_GROUP, 'must be a resource group name'),
        )
        .min(1, 'list at least one resource group, or leave resourceGroups out')
        .optional(),
    })
    .strict(),
);

/**
 * The Entra ID identity of one cluster role: a service principal (tenantId,
 * clientId, clientSecret) or a user-assigned managed identity (clientId).
 */
const clusterIdentity = z
  .object({
    clientId: z
      .string()
      .regex(UUID, 'must be an application (client) id (a GUID)'),
    tenantId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
  })
  .strict()
  .refine(v => !v.clientSecret || v.tenantId, {
    message: 'clientSecret needs tenantId',
    path: ['tenantId'],
  });

const entry = z
  .object({
    subscriptions: z
      .array(subscription)
      .min(1, 'list at least one subscription'),
    tenantId: z.string().min(1).optional(),
    clientId: z
      .string()
      .regex(UUID, 'must be an application (client) id (a GUID)')
      .optional(),
    clientSecret: z.string().min(1).optional(),
    authorityHost: httpsUrl.optional(),
    endpoint: httpsUrl.optional(),
    clusterAuth: z.enum(AZURE_CLUSTER_AUTH_MODES).optional(),
    serverScope: z.string().min(1).optional(),
    kubernetesPluginAuthProvider: z
      .enum(AZURE_KUBERNETES_PLUGIN_AUTH)
      .optional(),
    preferPrivateFqdn: z.boolean().optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    labels: configLabelsSchema,
    /** An Entra ID identity per cluster role (least privilege; Entra ID clusters). */
    clusterIdentities: z
      .object({
        probe: clusterIdentity.optional(),
        view: clusterIdentity.optional(),
        deploy: clusterIdentity.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.clientSecret && !(value.tenantId && value.clientId)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['clientSecret'],
        message: 'needs tenantId and clientId',
      });
    }
    refineUnique(
      ctx,
      value.subscriptions.map(s => s.subscriptionId.toLowerCase()),
      i => ['subscriptions', i, 'subscriptionId'],
      () => 'this subscription is listed twice',
    );
  });

/** One subscription to list, optionally narrowed to resource groups. @public */
export interface AzureSubscriptionConfig {
  /** The Azure subscription id. */
  subscriptionId: string;
  /** Only these resource groups; all when omitted. */
  resourceGroups?: string[];
}

/** One configured entry, validated and defaulted. @public */
export interface AzureProviderConfig {
  /** Config key; the provider id is `azure-aks:<id>`. */
  id: string;
  /** The subscriptions to discover. */
  subscriptions: AzureSubscriptionConfig[];
  /** Entra ID tenant (directory) id of the service principal. */
  tenantId?: string;
  /** Client id of the service principal. */
  clientId?: string;
  /** Client secret of the service principal. */
  clientSecret?: string;
  /** Entra ID authority host override (sovereign clouds). */
  authorityHost?: string;
  /** ARM endpoint, e.g. https://management.usgovcloudapi.net. */
  endpoint?: string;
  /** How the inventory authenticates to the API servers. */
  clusterAuth: (typeof AZURE_CLUSTER_AUTH_MODES)[number];
  /** Token scope of the AKS API server application. */
  serverScope: string;
  /** Auth provider the Backstage Kubernetes plugin uses for these clusters. */
  kubernetesPluginAuthProvider: (typeof AZURE_KUBERNETES_PLUGIN_AUTH)[number];
  /** Connect to a cluster's private FQDN when it has one. */
  preferPrivateFqdn: boolean;
  /** Retries of throttled or failed ARM calls. */
  maxRetries: number;
  /** Labels added to every cluster of this entry. */
  labels: Record<string, string>;
  /** The Entra ID identity of each cluster role that has its own. */
  clusterIdentities?: Partial<
    Record<
      'probe' | 'view' | 'deploy',
      { clientId: string; tenantId?: string; clientSecret?: string }
    >
  >;
}

/** Default ARM retries; the SDK backs off exponentially and honours Retry-After on 429. */
export const DEFAULT_MAX_RETRIES = 4;

/**
 * Reads and validates `multicluster.providers.azure`; throws an InputError naming
 * every bad key. Absent config means no providers.
 * @public
 */
export function readAzureConfig(config: Config): AzureProviderConfig[] {
  return readProviderEntries(config, AZURE_CONFIG_ROOT, entry).map(
    ([id, e]) => ({
      id,
      subscriptions: e.subscriptions.map(s => ({
        subscriptionId: s.subscriptionId.toLowerCase(),
        resourceGroups: s.resourceGroups,
      })),
      tenantId: e.tenantId,
      clientId: e.clientId,
      clientSecret: e.clientSecret,
      authorityHost: e.authorityHost,
      endpoint: e.endpoint,
      clusterAuth: e.clusterAuth ?? 'auto',
      serverScope: e.serverScope ?? AKS_SERVER_SCOPE,
      kubernetesPluginAuthProvider: e.kubernetesPluginAuthProvider ?? 'azure',
      preferPrivateFqdn: e.preferPrivateFqdn ?? false,
      maxRetries: e.maxRetries ?? DEFAULT_MAX_RETRIES,
      labels: e.labels ?? {},
      ...(e.clusterIdentities
        ? { clusterIdentities: e.clusterIdentities }
        : {}),
    }),
  );
}
