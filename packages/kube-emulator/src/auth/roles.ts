/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { RESOURCES } from '../api/resources';

/**
 * The identities every emulated cluster issues a bearer token for, from least to most
 * privileged:
 *
 * - `probe`: health endpoints, `/version`, discovery, and get/list/watch of nodes.
 * - `view`: like Kubernetes' `view` ClusterRole: reads everything except Secrets.
 * - `deploy`: like `edit` plus creating and updating Namespaces.
 * - `admin`: everything (`cluster-admin`).
 *
 * @public
 */
export type Role = 'admin' | 'deploy' | 'view' | 'probe';

/** Every role, most privileged first. @public */
export const ROLES: readonly Role[] = Object.freeze([
  'admin',
  'deploy',
  'view',
  'probe',
]);

/** The user name a role's token authenticates as (what 403 messages and `kubectl auth whoami` show). */
export function usernameOf(role: Role): string {
  return `archipelago-${role}`;
}

/** The groups a role's user belongs to. */
export function groupsOf(role: Role): string[] {
  return role === 'admin'
    ? ['system:masters', 'system:authenticated']
    : ['system:authenticated'];
}

/** An RBAC PolicyRule: resource rules, or non-resource URL rules. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  /** `resource` or `resource/subresource`; `*` for all. */
  resources?: string[];
  /** Exact paths, or prefixes ending in `*`. */
  nonResourceURLs?: string[];
}

/** What a request asks for, as the API server's authorizer sees it. */
export type RequestAttributes =
  | {
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { verb: string; path: string };

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

// system:public-info-viewer and system:discovery, bound to every authenticated user. Health
// sub-checks (/readyz/etcd) are open too, as the emulator has always served them.
const PUBLIC_RULES: PolicyRule[] = [
  {
    verbs: ['get'],
    nonResourceURLs: [
      '/healthz',
      '/healthz/*',
      '/livez',
      '/livez/*',
      '/readyz',
      '/readyz/*',
      '/version',
      '/version/',
      '/api',
      '/api/*',
      '/apis',
      '/apis/*',
      '/openapi',
      '/openapi/*',
    ],
  },
  // system:basic-user: anyone may ask who they are and what they may do.
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  {
    verbs: ['create'],
    apiGroups: ['authentication.k8s.io'],
    resources: ['selfsubjectreviews'],
  },
];

/** Subresources no reader gets (they reach into running containers). */
const PRIVILEGED_SUBRESOURCES = new Set([
  'exec',
  'attach',
  'portforward',
  'proxy',
]);

/** Read rules over every served type (and its readable subresources) except the excluded. */
function readRules(exclude: (group: string, resource: string) => boolean) {
  const byGroup = new Map<string, string[]>();
  for (const def of RESOURCES) {
    if (exclude(def.group, def.resource)) continue;
    const list = byGroup.get(def.group) ?? [];
    list.push(def.resource);
    for (const s of def.subresources)
      if (!PRIVILEGED_SUBRESOURCES.has(s.name) && s.verbs.includes('get'))
        list.push(`${def.resource}/${s.name}`);
    byGroup.set(def.group, list);
  }
  const rules: PolicyRule[] = [...byGroup].map(([group, resources]) => ({
    verbs: READ,
    apiGroups: [group],
    resources,
  }));
  // metrics-server's system:aggregated-metrics-reader aggregates into view.
  rules.push({
    verbs: READ,
    apiGroups: ['metrics.k8s.io'],
    resources: ['pods', 'nodes'],
  });
  return rules;
}

// What Kubernetes' aggregate-to-edit ClusterRole lets a namespace editor write.
const EDIT_WRITES: PolicyRule[] = [
  {
    verbs: WRITE,
    apiGroups: [''],
    resources: [
      'pods',
      'pods/attach',
      'pods/exec',
      'pods/portforward',
      'pods/proxy',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'persistentvolumeclaims',
      'configmaps',
      'endpoints',
      'secrets',
      'services',
      'services/proxy',
      'serviceaccounts',
    ],
  },
  {
    verbs: ['create'],
    apiGroups: [''],
    resources: ['serviceaccounts/token'],
  },
  {
    verbs: WRITE,
    apiGroups: ['apps'],
    resources: [
      'deployments',
      'deployments/scale',
      'deployments/rollback',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
      'daemonsets',
    ],
  },
  {
    verbs: WRITE,
    apiGroups: ['autoscaling'],
    resources: ['horizontalpodautoscalers'],
  },
  { verbs: WRITE, apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  {
    verbs: WRITE,
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'networkpolicies'],
  },
  {
    verbs: WRITE,
    apiGroups: ['policy'],
    resources: ['poddisruptionbudgets'],
  },
];

const isSecret = (group: string, resource: string) =>
  group === '' && resource === 'secrets';

/** The RBAC rules behind each role. */
export const ROLE_RULES: Readonly<Record<Role, readonly PolicyRule[]>> = {
  probe: [
    ...PUBLIC_RULES,
    { verbs: READ, apiGroups: [''], resources: ['nodes'] },
  ],
  view: [...PUBLIC_RULES, ...readRules(isSecret)],
  deploy: [
    ...PUBLIC_RULES,
    ...readRules(() => false),
    ...EDIT_WRITES,
    // Environments and workloads bring their own namespaces; deleting one stays with admins.
    {
      verbs: ['create', 'patch', 'update'],
      apiGroups: [''],
      resources: ['namespaces'],
    },
  ],
  admin: [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ],
};

function matchesList(list: string[] | undefined, value: string) {
  return !!list && (list.includes('*') || list.includes(value));
}

function urlMatches(patterns: string[] | undefined, path: string) {
  return (patterns ?? []).some(p =>
    p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : p === path,
  );
}

/** Whether one rule allows a request, as RBAC's RuleAllows does. */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes) {
  if (!matchesList(rule.verbs, attrs.verb)) return false;
  if ('path' in attrs) return urlMatches(rule.nonResourceURLs, attrs.path);
  if (!rule.resources) return false;
  const combined = attrs.subresource
    ? `${attrs.resource}/${attrs.subresource}`
    : attrs.resource;
  return (
    matchesList(rule.apiGroups, attrs.group) &&
    (rule.resources.includes('*') ||
      rule.resources.includes(combined) ||
      (!!attrs.subresource &&
        rule.resources.includes(`*/${attrs.subresource}`)))
  );
}

/** Whether a role may make a request. */
export function authorize(role: Role, attrs: RequestAttributes): boolean {
  return ROLE_RULES[role].some(rule => ruleAllows(rule, attrs));
}
