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
export const GCP_CONFIG_ROOT = 'multicluster.providers.gcp';

/** Backstage Kubernetes plugin auth providers for GKE. @public */
export const GCP_KUBERNETES_PLUGIN_AUTH = [
  'googleServiceAccount',
  'google',
] as const;
/** Which control plane endpoint the inventory connects to. @public */
export const GKE_ENDPOINT_TYPES = ['public', 'private'] as const;

// Project ids: 6-30 lowercase letters, digits and hyphens, starting with a letter.
// Domain-scoped projects (`example.com:project`) carry a prefix.
const PROJECT_ID = /^([a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
// `-` (all locations), a region (us-central1) or a zone (us-central1-a).
const LOCATION = /^(-|[a-z]+-[a-z]+\d+(-[a-z])?)$/;

const project = z.preprocess(
  value => (typeof value === 'string' ? { projectId: value } : value),
  z
    .object({
      projectId: z
        .string()
        .regex(PROJECT_ID, 'must be a Google Cloud project id'),
      locations: z
        .array(
          z
            .string()
            .regex(
              LOCATION,
              'must be -, a region such as us-central1 or a zone such as us-central1-a',
            ),
        )
        .min(
          1,
          'list at least one location, or leave locations out for all (-)',
        )
        .optional(),
    })
    .strict(),
);

const entry = z
  .object({
    projects: z.array(project).min(1, 'list at least one project'),
    credentials: z
      .string()
      .refine(value => {
        try {
          const json = JSON.parse(value);
          return (
            typeof json === 'object' &&
            json !== null &&
            typeof json.type === 'string'
          );
        } catch {
          return false;
        }
      }, 'must be a service account key or external account JSON document')
      .optional(),
    endpoint: httpUrlSchema(
      'must be an http(s) URL such as https://container.googleapis.com',
    ).optional(),
    endpointType: z.enum(GKE_ENDPOINT_TYPES).optional(),
    kubernetesPluginAuthProvider: z.enum(GCP_KUBERNETES_PLUGIN_AUTH).optional(),
    labels: configLabelsSchema,
  })
  .strict()
  .superRefine((value, ctx) => {
    refineUnique(
      ctx,
      value.projects.map(p => p.projectId),
      i => ['projects', i, 'projectId'],
      id => `project ${id} is listed twice`,
    );
    value.projects.forEach((p, i) => {
      if (p.locations && p.locations.length > 1 && p.locations.includes('-')) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['projects', i, 'locations'],
          message: '- already means every location; list it alone',
        });
      }
    });
  });

/** One project and the locations listed in it. @public */
export interface GcpProjectConfig {
  /** The GCP project id. */
  projectId: string;
  /** `-` for every location. */
  locations: string[];
}

/** One configured entry, validated and defaulted. @public */
export interface GcpProviderConfig {
  /** Config key; the provider id is `gcp-gke:<id>`. */
  id: string;
  /** The projects to discover, with their locations. */
  projects: GcpProjectConfig[];
  /** Service account key (or external account) JSON; Application Default Credentials otherwise. */
  credentials?: string;
  /** GKE API endpoint override, e.g. a Private Service Connect endpoint or an emulator. */
  endpoint?: string;
  /** Which control plane endpoint the inventory connects to (default `public`). */
  endpointType: (typeof GKE_ENDPOINT_TYPES)[number];
  /** Auth provider the Backstage Kubernetes plugin uses for these clusters. */
  kubernetesPluginAuthProvider: (typeof GCP_KUBERNETES_PLUGIN_AUTH)[number];
  /** Labels added to every cluster of this entry. */
  labels: Record<string, string>;
}

/**
 * Reads and validates `multicluster.providers.gcp`; throws an InputError naming
 * every bad key. Absent config means no providers.
 * @public
 */
export function readGcpConfig(config: Config): GcpProviderConfig[] {
  return readProviderEntries(config, GCP_CONFIG_ROOT, entry).map(([id, e]) => ({
    id,
    projects: e.projects.map(p => ({
      projectId: p.projectId,
      locations: p.locations ?? ['-'],
    })),
    credentials: e.credentials,
    endpoint: e.endpoint,
    endpointType: e.endpointType ?? 'public',
    kubernetesPluginAuthProvider:
      e.kubernetesPluginAuthProvider ?? 'googleServiceAccount',
    labels: e.labels ?? {},
  }));
}
