/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash } from 'node:crypto';
import {
  apiVersionOf,
  EXTRA_DEFINITIONS,
  GROUP_VERSIONS,
  GroupVersionDef,
  RESOURCES,
  ResourceDef,
} from './resources';
import { CachedBody } from './discovery';
import { Obj, META, Flavour, refTo, collectSchemas } from './openapiSchemas';

function param(
  name: string,
  description: string,
  flavour: Flavour,
  type = 'string',
): Obj {
  return flavour === 'v3'
    ? { name, in: 'query', description, schema: { type, uniqueItems: true } }
    : { name, in: 'query', description, type, uniqueItems: true };
}

const FIELD_VALIDATION =
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict';

function operationId(
  verb: string,
  r: ResourceDef,
  sub?: string,
  all = false,
): string {
  const gv = `${
    r.group
      ? r.group.split('.')[0].replace(/^\w/, c => c.toUpperCase())
      : 'Core'
  }${r.version.replace(/^\w/, c => c.toUpperCase())}`;
  const scope = r.namespaced && !all ? 'Namespaced' : '';
  const suffix = sub ? sub.replace(/^\w/, c => c.toUpperCase()) : '';
  return `${verb}${gv}${scope}${r.kind}${suffix}${
    all ? 'ForAllNamespaces' : ''
  }`;
}

function content(schema: Obj, types: string[], flavour: Flavour): Obj {
  return flavour === 'v3'
    ? Object.fromEntries(types.map(t => [t, { schema }]))
    : {};
}

function operation(
  flavour: Flavour,
  opts: {
    id: string;
    action: string;
    gvk: { group: string; version: string; kind: string };
    params?: Obj[];
    body?: { ref: string; types: string[] };
    response: string;
  },
): Obj {
  const resp = { $ref: refTo(opts.response, flavour) };
  const op: Obj = {
    tags: [
      opts.gvk.group
        ? `${opts.gvk.group.split('.')[0]}_${opts.gvk.version}`
        : `core_${opts.gvk.version}`,
    ],
    operationId: opts.id,
    description: `${opts.action} ${opts.gvk.kind}`,
    parameters: opts.params ?? [],
    'x-kubernetes-action': opts.action,
    'x-kubernetes-group-version-kind': opts.gvk,
  };
  const responseTypes = ['application/json', 'application/yaml'];
  if (flavour === 'v3') {
    op.responses = {
      '200': {
        description: 'OK',
        content: content(resp, responseTypes, flavour),
      },
      '401': { description: 'Unauthorized' },
    };
    if (opts.body) {
      op.requestBody = {
        content: content(
          { $ref: refTo(opts.body.ref, flavour) },
          opts.body.types,
          flavour,
        ),
        required: true,
      };
    }
  } else {
    op.consumes = opts.body?.types ?? ['*/*'];
    op.produces = responseTypes;
    op.schemes = ['https'];
    op.responses = {
      '200': { description: 'OK', schema: resp },
      '401': { description: 'Unauthorized' },
    };
    if (opts.body) {
      op.parameters = [
        ...op.parameters,
        {
          name: 'body',
          in: 'body',
          required: true,
          schema: { $ref: refTo(opts.body.ref, flavour) },
        },
      ];
    }
  }
  return op;
}

const PATCH_CONTENT = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function resourcePaths(r: ResourceDef, flavour: Flavour): Obj {
  const prefix = r.group
    ? `/apis/${r.group}/${r.version}`
    : `/api/${r.version}`;
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const writeParams = [
    param(
      'dryRun',
      'When present, indicates that modifications should not be persisted.',
      flavour,
    ),
    param(
      'fieldManager',
      'fieldManager is a name associated with the actor or entity that is making these changes.',
      flavour,
    ),
    param('fieldValidation', FIELD_VALIDATION, flavour),
  ];
  const patchParams = [
    ...writeParams,
    param(
      'force',
      'Force is going to "force" Apply requests.',
      flavour,
      'boolean',
    ),
  ];
  const LIST_PARAM_TYPES: Record<string, string> = {
    labelSelector: 'string',
    fieldSelector: 'string',
    limit: 'integer',
    continue: 'string',
    resourceVersion: 'string',
    timeoutSeconds: 'integer',
    watch: 'boolean',
    allowWatchBookmarks: 'boolean',
  };
  const listParams = Object.entries(LIST_PARAM_TYPES).map(([p, type]) =>
    param(p, p, flavour, type),
  );
  const base = r.namespaced
    ? `${prefix}/namespaces/{namespace}/${r.resource}`
    : `${prefix}/${r.resource}`;
  const pathParam = (name: string) =>
    flavour === 'v3'
      ? {
          name,
          in: 'path',
          required: true,
          description: `name of the ${name}`,
          schema: { type: 'string', uniqueItems: true },
        }
      : {
          name,
          in: 'path',
          required: true,
          description: `name of the ${name}`,
          type: 'string',
          uniqueItems: true,
        };
  const common = r.namespaced ? [pathParam('namespace')] : [];
  const list = `${r.definition}List`;
  const paths: Obj = {
    [base]: {
      get: operation(flavour, {
        id: operationId('list', r),
        action: 'list',
        gvk,
        params: listParams,
        response: list,
      }),
      post: operation(flavour, {
        id: operationId('create', r),
        action: 'post',
        gvk,
        params: writeParams,
        body: { ref: r.definition, types: ['*/*'] },
        response: r.definition,
      }),
      delete: operation(flavour, {
        id: operationId('deletecollection', r),
        action: 'deletecollection',
        gvk,
        response: `${META}.Status`,
      }),
      parameters: common,
    },
    [`${base}/{name}`]: {
      get: operation(flavour, {
        id: operationId('read', r),
        action: 'get',
        gvk,
        response: r.definition,
      }),
      put: operation(flavour, {
        id: operationId('replace', r),
        action: 'put',
        gvk,
        params: writeParams,
        body: { ref: r.definition, types: ['*/*'] },
        response: r.definition,
      }),
      patch: operation(flavour, {
        id: operationId('patch', r),
        action: 'patch',
        gvk,
        params: patchParams,
        body: { ref: `${META}.Patch`, types: PATCH_CONTENT },
        response: r.definition,
      }),
      delete: operation(flavour, {
        id: operationId('delete', r),
        action: 'delete',
        gvk,
        body: { ref: `${META}.DeleteOptions`, types: ['*/*'] },
        response: `${META}.Status`,
      }),
      parameters: [...common, pathParam('name')],
    },
  };
  for (const s of r.subresources) {
    if (s.name === 'log' || s.name === 'finalize') continue;
    const subGvk =
      s.group !== undefined
        ? { group: s.group, version: s.version!, kind: s.kind }
        : gvk;
    const ref =
      s.group !== undefined
        ? `io.k8s.api.${s.group}.${s.version}.${s.kind}`
        : r.definition;
    paths[`${base}/{name}/${s.name}`] = {
      get: operation(flavour, {
        id: operationId('read', r, s.name),
        action: 'get',
        gvk: subGvk,
        response: ref,
      }),
      put: operation(flavour, {
        id: operationId('replace', r, s.name),
        action: 'put',
        gvk: subGvk,
        params: writeParams,
        body: { ref, types: ['*/*'] },
        response: ref,
      }),
      patch: operation(flavour, {
        id: operationId('patch', r, s.name),
        action: 'patch',
        gvk: subGvk,
        params: patchParams,
        body: { ref: `${META}.Patch`, types: PATCH_CONTENT },
        response: ref,
      }),
      parameters: [...common, pathParam('name')],
    };
  }
  if (r.namespaced) {
    paths[`${prefix}/${r.resource}`] = {
      get: operation(flavour, {
        id: operationId('list', r, undefined, true),
        action: 'list',
        gvk,
        params: listParams,
        response: list,
      }),
    };
  }
  return paths;
}

function rootsOf(resources: readonly ResourceDef[]): string[] {
  const roots = new Set<string>([
    `${META}.Status`,
    `${META}.DeleteOptions`,
    `${META}.Patch`,
  ]);
  for (const r of resources) {
    roots.add(r.definition);
    roots.add(`${r.definition}List`);
    if (r.subresources.some(s => s.kind === 'Scale'))
      roots.add(EXTRA_DEFINITIONS[0]);
  }
  return [...roots];
}

function docInfo(gitVersion: string) {
  return { title: 'Kubernetes', version: gitVersion };
}

/** One group-version's OpenAPI v3 document. */
function v3Document(gv: GroupVersionDef, gitVersion: string): Obj {
  const paths: Obj = {};
  for (const r of gv.resources) Object.assign(paths, resourcePaths(r, 'v3'));
  return {
    openapi: '3.0.0',
    info: docInfo(gitVersion),
    paths,
    components: {
      schemas: collectSchemas(rootsOf(gv.resources), 'v3'),
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
  };
}

function v2Document(gitVersion: string): Obj {
  const paths: Obj = {};
  for (const r of RESOURCES) Object.assign(paths, resourcePaths(r, 'v2'));
  return {
    swagger: '2.0',
    info: docInfo(gitVersion),
    paths,
    definitions: collectSchemas(rootsOf(RESOURCES), 'v2'),
    securityDefinitions: {
      BearerToken: {
        type: 'apiKey',
        description: 'Bearer Token authentication',
        name: 'authorization',
        in: 'header',
      },
    },
    security: [{ BearerToken: [] }],
  };
}

/** The OpenAPI documents of one server version: built on first use, then shared. */
export interface OpenApiDocuments {
  v3Root: CachedBody;
  v3: Map<string, CachedBody & { hash: string }>;
  v2(): CachedBody;
}

const byVersion = new Map<string, OpenApiDocuments>();

export function openApiDocuments(gitVersion: string): OpenApiDocuments {
  const hit = byVersion.get(gitVersion);
  if (hit) return hit;
  const v3 = new Map<string, CachedBody & { hash: string }>();
  const paths: Obj = {};
  for (const gv of GROUP_VERSIONS) {
    const key = gv.group ? `apis/${apiVersionOf(gv)}` : `api/${gv.version}`;
    const body = Buffer.from(JSON.stringify(v3Document(gv, gitVersion)));
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    v3.set(key, { body, contentType: 'application/json', hash });
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  let v2: CachedBody | undefined;
  const docs: OpenApiDocuments = {
    v3Root: {
      body: Buffer.from(JSON.stringify({ paths })),
      contentType: 'application/json',
    },
    v3,
    v2: () => {
      v2 ??= {
        body: Buffer.from(JSON.stringify(v2Document(gitVersion))),
        contentType: 'application/json',
      };
      return v2;
    },
  };
  byVersion.set(gitVersion, docs);
  return docs;
}
