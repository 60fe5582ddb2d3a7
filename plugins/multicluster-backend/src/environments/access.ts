/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  type Environment,
  multiclusterEnvironmentReadPermission,
  multiclusterEnvironmentUpdatePermission,
} from '@archipelago/multicluster-common';
import {
  AuthorizeResult,
  type PolicyDecision,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { multiclusterEnvironmentRules } from './permissions';
import type { EnvironmentsService } from './service';

const authorizeEnvironment = createConditionAuthorizer(
  Object.values(multiclusterEnvironmentRules),
);

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Normalises an owner to a full entity ref (`team-a` → `group:default/team-a`). */
export function ownerRef(owner: string): string {
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  );
}

/**
 * Who may do what with an environment. Every route goes through here:
 * reading is `multicluster.environment.read` applied to the environment
 * (conditions included: a policy may allow owners only, `IS_OWNER`), and a
 * caller who cannot read gets 404, never 403, so an environment's existence,
 * owner or type never leaks. Changing, destroying and revealing a secret need
 * read plus their own permission on the same environment.
 *
 * Creating is checked against the owner: the caller must belong to it (their
 * user ref or one of their ownership refs, namespace included), unless they
 * are an admin, which is a policy decision: an unconditional ALLOW of
 * `multicluster.environment.update` asked without a resource (a policy that
 * answers owners with a condition answers admins with ALLOW). The owner must
 * exist in the catalog.
 */
export class EnvironmentAccess {
  constructor(
    private readonly options: {
      service: EnvironmentsService;
      permissions: PermissionsService;
      userInfo?: UserInfoService;
      catalog?: CatalogService;
      auth?: AuthService;
    },
  ) {}

  async decide(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<PolicyDecision> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  }

  /** The environment if the caller may read it. */
  async readable(
    credentials: BackstageCredentials,
    name: string,
  ): Promise<Environment | undefined> {
    const env = await this.options.service.get(name);
    if (!env) return undefined;
    const decision = await this.decide(
      credentials,
      multiclusterEnvironmentReadPermission,
    );
    return authorizeEnvironment(decision, env) ? env : undefined;
  }

  /**
   * The environment, when the caller may read it (404 otherwise) and has
   * `permission` on it (403 otherwise, naming the permission).
   */
  async require(
    credentials: BackstageCredentials,
    name: string,
    permission?: ResourcePermission,
    what?: string,
  ): Promise<Environment> {
    const env = await this.readable(credentials, name);
    if (!env) throw new NotFoundError(`No environment named ${name}`);
    if (permission) {
      const decision = await this.decide(credentials, permission);
      if (!authorizeEnvironment(decision, env)) {
        throw new NotAllowedError(
          `You are not allowed to ${what ?? 'change'} environment ${name} (${
            permission.name
          })`,
        );
      }
    }
    return env;
  }

  /** True when the policy allows changing every environment (an admin). */
  async isAdmin(credentials: BackstageCredentials): Promise<boolean> {
    const decision = await this.decide(
      credentials,
      multiclusterEnvironmentUpdatePermission,
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The caller's user ref and ownership refs (empty for a service). */
  async ownership(credentials: BackstageCredentials): Promise<string[]> {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) return [];
    const refs = [principal.userEntityRef];
    if (this.options.userInfo) {
      try {
        const info = await this.options.userInfo.getUserInfo(credentials);
        refs.push(...info.ownershipEntityRefs);
      } catch {
        // Without ownership claims the user owns only their own ref.
      }
    }
    return [...new Set(refs)];
  }

  /**
   * Whether the caller may create (or promote into) an environment owned by
   * `owner` (a full ref): they belong to it, or they are an admin. 403
   * otherwise, listing what they may use.
   */
  async checkOwner(
    credentials: BackstageCredentials,
    owner: string,
  ): Promise<void> {
    const refs = await this.ownership(credentials);
    if (refs.some(r => lower(r) === lower(owner))) return;
    if (await this.isAdmin(credentials)) return;
    throw new NotAllowedError(
      `owner: you may create environments only for yourself or a group you belong to` +
        `${
          refs.length ? ` (${refs.join(', ')})` : ''
        }; ${owner} is not one of them`,
    );
  }

  /** 400 when the owner is not an entity of the catalog; 503 when the catalog cannot say. */
  async checkOwnerExists(owner: string): Promise<void> {
    const { catalog, auth } = this.options;
    if (!catalog || !auth) return;
    let entity;
    try {
      entity = await catalog.getEntityByRef(owner, {
        credentials: await auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `owner: the catalog could not be asked whether ${owner} exists (${
          (error as Error).message
        }); try again`,
      );
    }
    if (!entity) {
      throw new InputError(
        `owner: ${owner} is not in the catalog; use a group or user entity ref such as group:default/team-a`,
      );
    }
  }
}
