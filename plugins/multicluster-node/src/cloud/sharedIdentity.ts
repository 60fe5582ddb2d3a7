/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { CLUSTER_ROLES, type ClusterRole } from '../providers';

/**
 * The roles that fall back to the shared credential when a cluster names
 * only some (or none) of its own: least privilege is not in force for them.
 * @public
 */
export function sharedCredentialRoles(
  roleCredentials: Partial<Record<ClusterRole, unknown>> | undefined,
): ClusterRole[] {
  return CLUSTER_ROLES.filter(role => !roleCredentials?.[role]);
}

/**
 * Warns once, at startup, that some clusters of a provider have one
 * credential for several roles: the prober and Backstage's Kubernetes plugin
 * then act with whatever that credential may do (often writes). `subjects`
 * names them (clusters, files, accounts); the warning shows at most five.
 * @public
 */
export function warnSharedCredentials(
  logger: LoggerService,
  options: {
    /** The provider's config key, e.g. `multicluster.providers.config`. */
    configKey: string;
    subjects: string[];
    roles?: ClusterRole[];
    /** How to give each role its own credential there. */
    hint: string;
  },
): void {
  if (options.subjects.length === 0) return;
  const shown = options.subjects.slice(0, 5).join(', ');
  const more =
    options.subjects.length > 5
      ? ` and ${options.subjects.length - 5} more`
      : '';
  const roles = options.roles ?? [...CLUSTER_ROLES];
  logger.warn(
    `${
      options.configKey
    }: ${shown}${more} use one credential for the roles ${roles.join(
      ', ',
    )}; least privilege is not in force (the Kubernetes plugin may act with a credential that can write). ${
      options.hint
    }`,
  );
}
