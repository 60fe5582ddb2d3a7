/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { authorize, RequestAttributes, Role, ROLES } from './roles';

type Row = [string, RequestAttributes, Role[]];

const res = (
  verb: string,
  group: string,
  resource: string,
  extra: Partial<{ subresource: string; namespace: string; name: string }> = {},
): RequestAttributes => ({ verb, group, resource, ...extra });

// Each row: a request, and exactly the roles that may make it.
const TABLE: Row[] = [
  [
    'readyz',
    { verb: 'get', path: '/readyz' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'a readyz check',
    { verb: 'get', path: '/readyz/etcd' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'livez',
    { verb: 'get', path: '/livez' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'healthz',
    { verb: 'get', path: '/healthz' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'version',
    { verb: 'get', path: '/version' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'core discovery',
    { verb: 'get', path: '/api/v1' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'group discovery',
    { verb: 'get', path: '/apis/apps/v1' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'OpenAPI',
    { verb: 'get', path: '/openapi/v3' },
    ['admin', 'deploy', 'view', 'probe'],
  ],
  ['POST to readyz', { verb: 'post', path: '/readyz' }, ['admin']],
  ['an unknown path', { verb: 'get', path: '/metrics' }, ['admin']],
  [
    'list nodes',
    res('list', '', 'nodes'),
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'watch nodes',
    res('watch', '', 'nodes'),
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'get a node',
    res('get', '', 'nodes', { name: 'n-1' }),
    ['admin', 'deploy', 'view', 'probe'],
  ],
  ['patch a node', res('patch', '', 'nodes', { name: 'n-1' }), ['admin']],
  [
    'write node status',
    res('update', '', 'nodes', { name: 'n-1', subresource: 'status' }),
    ['admin'],
  ],
  [
    'list pods',
    res('list', '', 'pods', { namespace: 'default' }),
    ['admin', 'deploy', 'view'],
  ],
  [
    'read a pod log',
    res('get', '', 'pods', { namespace: 'a', name: 'p', subresource: 'log' }),
    ['admin', 'deploy', 'view'],
  ],
  [
    'exec into a pod',
    res('create', '', 'pods', {
      namespace: 'a',
      name: 'p',
      subresource: 'exec',
    }),
    ['admin', 'deploy'],
  ],
  [
    'port-forward',
    res('get', '', 'pods', {
      namespace: 'a',
      name: 'p',
      subresource: 'portforward',
    }),
    ['admin'],
  ],
  [
    'list namespaces',
    res('list', '', 'namespaces'),
    ['admin', 'deploy', 'view'],
  ],
  ['create a namespace', res('create', '', 'namespaces'), ['admin', 'deploy']],
  [
    'update a namespace',
    res('update', '', 'namespaces', { name: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'delete a namespace',
    res('delete', '', 'namespaces', { name: 'a' }),
    ['admin'],
  ],
  [
    'list secrets',
    res('list', '', 'secrets', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'get a secret',
    res('get', '', 'secrets', { namespace: 'a', name: 's' }),
    ['admin', 'deploy'],
  ],
  ['watch secrets', res('watch', '', 'secrets'), ['admin', 'deploy']],
  [
    'create a secret',
    res('create', '', 'secrets', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'list configmaps',
    res('list', '', 'configmaps'),
    ['admin', 'deploy', 'view'],
  ],
  [
    'create a deployment',
    res('create', 'apps', 'deployments', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'patch a deployment',
    res('patch', 'apps', 'deployments', { namespace: 'a', name: 'web' }),
    ['admin', 'deploy'],
  ],
  [
    'scale a deployment',
    res('patch', 'apps', 'deployments', {
      namespace: 'a',
      name: 'web',
      subresource: 'scale',
    }),
    ['admin', 'deploy'],
  ],
  [
    'read deployment status',
    res('get', 'apps', 'deployments', {
      namespace: 'a',
      name: 'web',
      subresource: 'status',
    }),
    ['admin', 'deploy', 'view'],
  ],
  [
    'write deployment status',
    res('update', 'apps', 'deployments', {
      namespace: 'a',
      name: 'web',
      subresource: 'status',
    }),
    ['admin'],
  ],
  [
    'delete a statefulset',
    res('delete', 'apps', 'statefulsets', { namespace: 'a', name: 'db' }),
    ['admin', 'deploy'],
  ],
  [
    'create a daemonset',
    res('create', 'apps', 'daemonsets', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'create a job',
    res('create', 'batch', 'jobs', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'create an ingress',
    res('create', 'networking.k8s.io', 'ingresses', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'create a service',
    res('create', '', 'services', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'delete services',
    res('deletecollection', '', 'services', { namespace: 'a' }),
    ['admin', 'deploy'],
  ],
  [
    'create a resource quota',
    res('create', '', 'resourcequotas', { namespace: 'a' }),
    ['admin'],
  ],
  [
    'create an event',
    res('create', '', 'events', { namespace: 'a' }),
    ['admin'],
  ],
  [
    'list events',
    res('list', '', 'events', { namespace: 'a' }),
    ['admin', 'deploy', 'view'],
  ],
  [
    'pod metrics',
    res('list', 'metrics.k8s.io', 'pods', { namespace: 'a' }),
    ['admin', 'deploy', 'view'],
  ],
  [
    'node metrics',
    res('list', 'metrics.k8s.io', 'nodes'),
    ['admin', 'deploy', 'view'],
  ],
  [
    'access review',
    res('create', 'authorization.k8s.io', 'selfsubjectaccessreviews'),
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'rules review',
    res('create', 'authorization.k8s.io', 'selfsubjectrulesreviews'),
    ['admin', 'deploy', 'view', 'probe'],
  ],
  [
    'whoami',
    res('create', 'authentication.k8s.io', 'selfsubjectreviews'),
    ['admin', 'deploy', 'view', 'probe'],
  ],
  ['an unknown group', res('list', 'example.com', 'widgets'), ['admin']],
  [
    'cluster roles',
    res('create', 'rbac.authorization.k8s.io', 'clusterroles'),
    ['admin'],
  ],
];

describe('authorize', () => {
  it.each(TABLE)('%s', (_what, attrs, allowed) => {
    const actual = ROLES.filter(role => authorize(role, attrs));
    expect(actual).toEqual(ROLES.filter(r => allowed.includes(r)));
  });
});
