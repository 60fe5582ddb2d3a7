/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  authorize,
  groupsOf,
  RequestAttributes,
  Role,
  ROLE_RULES,
  usernameOf,
} from '../auth/roles';
import { isObject } from '../util';
import { invalid } from './status';

// The self-review APIs every authenticated user may call: `kubectl auth can-i` (access review),
// `kubectl auth can-i --list` (rules review) and `kubectl auth whoami` (self subject review).

/** The review endpoints, by path: [group, version, resource]. */
const REVIEW_PATH =
  /^\/apis\/(authorization\.k8s\.io|authentication\.k8s\.io)\/(v1|v1beta1)\/(selfsubjectaccessreviews|selfsubjectrulesreviews|selfsubjectreviews)$/;

/** The review a path names, or undefined when it is not one. */
export function reviewOf(
  path: string,
): { group: string; version: string; resource: string } | undefined {
  const m = REVIEW_PATH.exec(path);
  if (!m) return undefined;
  const [, group, version, resource] = m;
  const isAuthn = resource === 'selfsubjectreviews';
  if (isAuthn !== (group === 'authentication.k8s.io')) return undefined;
  if (!isAuthn && version !== 'v1') return undefined;
  return { group, version, resource };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function accessReview(role: Role, body: Record<string, any>) {
  const spec = isObject(body.spec) ? body.spec : {};
  const res = isObject(spec.resourceAttributes)
    ? spec.resourceAttributes
    : undefined;
  const nonRes = isObject(spec.nonResourceAttributes)
    ? spec.nonResourceAttributes
    : undefined;
  if (!res === !nonRes) {
    throw invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', [
      {
        field: 'spec.resourceAttributes',
        type: 'FieldValueInvalid',
        value: res ?? null,
        detail:
          'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const attrs: RequestAttributes = res
    ? {
        verb: str(res.verb),
        group: str(res.group),
        resource: str(res.resource),
        subresource: str(res.subresource) || undefined,
        namespace: str(res.namespace) || undefined,
        name: str(res.name) || undefined,
      }
    : { verb: str(nonRes!.verb), path: str(nonRes!.path) };
  const allowed = authorize(role, attrs);
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: allowed
      ? {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "archipelago-${role}" of ClusterRole "archipelago-${role}" to User "${usernameOf(
            role,
          )}"`,
        }
      : { allowed: false },
  };
}

function rulesReview(role: Role, body: Record<string, any>) {
  const spec = isObject(body.spec) ? body.spec : {};
  const rules = ROLE_RULES[role];
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: { namespace: str(spec.namespace) },
    status: {
      resourceRules: rules
        .filter(r => r.resources)
        .map(r => ({
          verbs: r.verbs,
          apiGroups: r.apiGroups,
          resources: r.resources,
        })),
      nonResourceRules: rules
        .filter(r => r.nonResourceURLs)
        .map(r => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    },
  };
}

/** Answers a review request made with a role's token. */
export function answerReview(
  role: Role,
  review: { group: string; version: string; resource: string },
  body: unknown,
): Record<string, unknown> {
  const input = isObject(body) ? body : {};
  if (review.resource === 'selfsubjectaccessreviews')
    return accessReview(role, input);
  if (review.resource === 'selfsubjectrulesreviews')
    return rulesReview(role, input);
  return {
    kind: 'SelfSubjectReview',
    apiVersion: `${review.group}/${review.version}`,
    metadata: { creationTimestamp: null },
    status: {
      userInfo: { username: usernameOf(role), groups: groupsOf(role) },
    },
  };
}
