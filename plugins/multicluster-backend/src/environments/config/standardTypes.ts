/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The generic environment types users pick from, by name, title and
 * description only. What each is made of on a cloud comes from the module
 * that provides that cloud's drivers (its type mappings), or from config; a
 * type no installed module or config maps is not offered.
 *
 * Mirrors Cloudify's Environment-as-a-Service example: dev-small is one small
 * cluster with a modest database; dev-large is bigger with a database server
 * of its own; production uses managed, highly available services.
 */
export const STANDARD_ENVIRONMENT_TYPES: Record<
  string,
  { title: string; description: string }
> = {
  'dev-small': {
    title: 'Development (small)',
    description:
      'One small cluster, a small database and a bucket: cheap, for one developer.',
  },
  'dev-large': {
    title: 'Development (large)',
    description:
      'A bigger cluster with a database server of its own and a bucket: for a team or load tests.',
  },
  production: {
    title: 'Production',
    description:
      'Managed services: a multi-zone cluster, a managed highly available PostgreSQL, versioned storage.',
  },
};
