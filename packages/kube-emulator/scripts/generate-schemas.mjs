#!/usr/bin/env node
/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Regenerates src/api/schemas.json: the type model (fields, types, required fields and
// descriptions) of every Kubernetes type the emulator serves, taken from the models that
// @kubernetes/client-node generates from the upstream OpenAPI document. The emulator builds its
// OpenAPI v2/v3 documents and strict field validation from it. Run it after bumping client-node:
//   node packages/kube-emulator/scripts/generate-schemas.mjs

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Formats JSON as the repository's prettier does, so regenerated files stay prettier-clean. */
function formatJson(value) {
  const text = JSON.stringify(value);
  try {
    const prettier = createRequire(import.meta.url)('prettier');
    const out = prettier.format(text, { parser: 'json' });
    if (typeof out === 'string') return out;
  } catch {
    // prettier is a dev tool of the repository; without it, plain JSON will do.
  }
  return `${text}\n`;
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const clientDir = dirname(
  require.resolve('@kubernetes/client-node/package.json'),
);
const modelsDir = join(clientDir, 'dist', 'gen', 'models');
const clientVersion = JSON.parse(
  readFileSync(join(clientDir, 'package.json'), 'utf8'),
).version;

/** The kinds served (and the Scale/Status bodies of subresources and errors). */
const ROOTS = [
  'V1Namespace',
  'V1Node',
  'V1Pod',
  'V1Service',
  'V1ConfigMap',
  'V1Secret',
  'V1ServiceAccount',
  'CoreV1Event',
  'V1LimitRange',
  'V1ResourceQuota',
  'V1Deployment',
  'V1ReplicaSet',
  'V1StatefulSet',
  'V1DaemonSet',
  'V1Job',
  'V1CronJob',
  'V1Ingress',
  'V2HorizontalPodAutoscaler',
  'V1Scale',
  'V1Status',
  'V1DeleteOptions',
];

const META = new Set([
  'ObjectMeta',
  'ListMeta',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ManagedFieldsEntry',
  'OwnerReference',
  'Condition',
  'Status',
  'StatusDetails',
  'StatusCause',
  'DeleteOptions',
  'Preconditions',
]);
const APPS =
  /^(Deployment|ReplicaSet|StatefulSet|DaemonSet|RollingUpdateDeployment|RollingUpdateDaemonSet|RollingUpdateStatefulSetStrategy|ControllerRevision)/;
const BATCH =
  /^(Job|CronJob|PodFailurePolicy|UncountedTerminatedPods|SuccessPolicy)/;
const NETWORKING =
  /^(Ingress|HTTPIngress|IngressBackend|IngressServiceBackend|ServiceBackendPort|IngressLoadBalancer|IngressPortStatus|IngressRule|IngressTLS|IngressSpec|IngressStatus)/;
const AUTOSCALING_V1 = new Set(['Scale', 'ScaleSpec', 'ScaleStatus']);

/** Maps a client-node model name to its OpenAPI definition name. */
function definitionName(model) {
  const m =
    /^(Core|Apps|Batch|Networking|Autoscaling)?(V\d+(?:alpha\d+|beta\d+)?)(.+)$/.exec(
      model,
    );
  if (!m) throw new Error(`unexpected model name ${model}`);
  const version = m[2].toLowerCase();
  const name = m[3];
  if (version === 'v2') return `io.k8s.api.autoscaling.v2.${name}`;
  if (META.has(name)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
  if (AUTOSCALING_V1.has(name)) return `io.k8s.api.autoscaling.v1.${name}`;
  if (APPS.test(name)) return `io.k8s.api.apps.v1.${name}`;
  if (BATCH.test(name)) return `io.k8s.api.batch.v1.${name}`;
  if (NETWORKING.test(name)) return `io.k8s.api.networking.v1.${name}`;
  return `io.k8s.api.core.v1.${name}`;
}

const QUANTITY_MAPS = new Set([
  'limits',
  'requests',
  'capacity',
  'allocatable',
  'hard',
  'used',
  'max',
  'min',
  'default',
  'defaultRequest',
  'maxLimitRequestRatio',
  'overhead',
  'allocatedResources',
]);
const QUANTITY_FIELDS = new Set([
  'V1EmptyDirVolumeSource.sizeLimit',
  'V2MetricTarget.value',
  'V2MetricTarget.averageValue',
  'V2MetricValueStatus.value',
  'V2MetricValueStatus.averageValue',
]);

/** Encodes a client-node type as a compact type string: "[]T", "{}T", "#Definition" or a primitive. */
function encodeType(model, field, type, format, queue) {
  let m = /^Array<(.+)>$/.exec(type);
  if (m) return `[]${encodeType(model, field, m[1], '', queue)}`;
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) {
    const inner = encodeType(model, field, m[1], '', queue);
    return `{}${
      inner === 'string' && QUANTITY_MAPS.has(field) ? 'quantity' : inner
    }`;
  }
  switch (type) {
    case 'string':
      if (format === 'byte') return 'bytes';
      if (QUANTITY_FIELDS.has(`${model}.${field}`)) return 'quantity';
      return 'string';
    case 'number':
      return format === 'double' ? 'number' : 'integer';
    case 'boolean':
      return 'boolean';
    case 'Date':
      return format === 'date-time-micro' ? 'microtime' : 'time';
    case 'V1MicroTime':
      return 'microtime';
    case 'IntOrString':
      return 'intorstring';
    case 'any':
    case 'object':
      return 'any';
    default:
      queue.push(type);
      return `#${definitionName(type)}`;
  }
}

/** Field descriptions and required fields, read from the model's .d.ts. */
function readDeclarations(model) {
  const text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
  const classAt = text.indexOf('export declare class');
  const header = text.slice(0, classAt);
  const body = text.slice(classAt);
  const clean = doc =>
    doc
      .replace(/\s*\n\s*\*\s?/g, ' ')
      .replace(/^\s*\*?\s*/, '')
      .trim();
  const docs = [...header.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\//g)];
  const fields = {};
  const re = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?\n\s*'([^']+)'(\?)?:/g;
  for (const m of body.matchAll(re)) {
    fields[m[2]] = {
      description: m[1] ? clean(m[1]) : '',
      required: m[3] !== '?',
    };
  }
  return {
    description: docs.length ? clean(docs[docs.length - 1][1]) : '',
    fields,
  };
}

const definitions = {};
const seen = new Set();
const queue = [...ROOTS];
while (queue.length) {
  const model = queue.shift();
  if (seen.has(model)) continue;
  seen.add(model);
  const mod = await import(pathToFileURL(join(modelsDir, `${model}.js`)).href);
  const cls = mod[model];
  const decl = readDeclarations(model);
  const properties = {};
  const required = [];
  for (const attr of cls.attributeTypeMap) {
    const info = decl.fields[attr.baseName] ?? {
      description: '',
      required: false,
    };
    properties[attr.baseName] = [
      encodeType(model, attr.baseName, attr.type, attr.format, queue),
      info.description,
    ];
    if (info.required) required.push(attr.baseName);
  }
  const def = { d: decl.description, p: properties };
  if (required.length) def.r = required;
  definitions[definitionName(model)] = def;
}

const out = {
  source: `@kubernetes/client-node ${clientVersion}`,
  definitions: Object.fromEntries(
    Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : 1)),
  ),
};
const target = join(here, '..', 'src', 'api', 'schemas.json');
writeFileSync(target, formatJson(out));
console.log(
  `wrote ${Object.keys(definitions).length} definitions to ${target}`,
);
