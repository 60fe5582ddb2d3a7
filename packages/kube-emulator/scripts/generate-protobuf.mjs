#!/usr/bin/env node
/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Regenerates src/api/protobufTypes.json: the protobuf field numbers and types of the served
// Kubernetes types. kubectl 1.32+ sends typed create/update bodies as
// application/vnd.kubernetes.protobuf, so the emulator must decode them. The descriptors come
// from the kubectl binary itself: Go's protobuf registration embeds every generated.proto as a
// gzipped FileDescriptorProto. Usage:
//   node packages/kube-emulator/scripts/generate-protobuf.mjs [path/to/kubectl]

import { execFileSync } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

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

function findKubectl() {
  if (process.argv[2]) return process.argv[2];
  const onPath = realpathSync(
    execFileSync('which', ['kubectl']).toString().trim(),
  );
  // The gcloud SDK's kubectl is a dispatcher next to versioned binaries: take the newest.
  const versioned = readdirSync(dirname(onPath))
    .filter(f => /^kubectl\.1\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  return versioned.length
    ? join(dirname(onPath), versioned[versioned.length - 1])
    : onPath;
}

/** A minimal protobuf wire reader: enough for descriptors. */
function* fields(buf) {
  let i = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const num = key >> 3;
    const wire = key & 7;
    if (wire === 0) yield [num, Number(varint())];
    else if (wire === 2) {
      const len = Number(varint());
      yield [num, buf.subarray(i, i + len)];
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function parseMessage(buf, prefix, out) {
  let name = '';
  const fieldList = [];
  const nested = [];
  let mapEntry = false;
  for (const [n, v] of fields(buf)) {
    if (n === 1) name = v.toString();
    else if (n === 2) fieldList.push(v);
    else if (n === 3) nested.push(v);
    else if (n === 7)
      for (const [on, ov] of fields(v)) if (on === 7) mapEntry = !!ov;
  }
  const full = `${prefix}.${name}`;
  const parsed = { mapEntry, fields: [] };
  for (const f of fieldList) {
    const field = {};
    for (const [n, v] of fields(f)) {
      if (n === 1) field.name = v.toString();
      else if (n === 3) field.number = v;
      else if (n === 4) field.label = v;
      else if (n === 5) field.type = v;
      else if (n === 6) field.typeName = v.toString().replace(/^\./, '');
      else if (n === 10) field.jsonName = v.toString();
    }
    parsed.fields.push(field);
  }
  out.set(full, parsed);
  for (const n of nested) parseMessage(n, full, out);
}

const binary = readFileSync(findKubectl());
const magic = Buffer.from([
  0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff,
]);
const messages = new Map();
let files = 0;
for (
  let at = binary.indexOf(magic);
  at >= 0;
  at = binary.indexOf(magic, at + 1)
) {
  let fd;
  try {
    fd = gunzipSync(binary.subarray(at, at + 4_000_000), { finishFlush: 2 });
  } catch {
    continue;
  }
  let pkg = '';
  let fileName = '';
  const types = [];
  try {
    for (const [n, v] of fields(fd)) {
      if (n === 1) fileName = v.toString();
      else if (n === 2) pkg = v.toString();
      else if (n === 4) types.push(v);
    }
  } catch {
    continue;
  }
  if (!fileName.startsWith('k8s.io/')) continue;
  files++;
  for (const t of types) parseMessage(t, pkg, messages);
}

const TYPES = {
  1: 'double',
  2: 'float',
  3: 'int',
  4: 'int',
  5: 'int',
  8: 'bool',
  9: 'string',
  11: 'msg',
  12: 'bytes',
  13: 'int',
  14: 'int',
};
const ROOTS = [
  'k8s.io.api.core.v1.Namespace',
  'k8s.io.api.core.v1.Node',
  'k8s.io.api.core.v1.Pod',
  'k8s.io.api.core.v1.Service',
  'k8s.io.api.core.v1.ConfigMap',
  'k8s.io.api.core.v1.Secret',
  'k8s.io.api.core.v1.ServiceAccount',
  'k8s.io.api.core.v1.Event',
  'k8s.io.api.core.v1.LimitRange',
  'k8s.io.api.core.v1.ResourceQuota',
  'k8s.io.api.apps.v1.Deployment',
  'k8s.io.api.apps.v1.ReplicaSet',
  'k8s.io.api.apps.v1.StatefulSet',
  'k8s.io.api.apps.v1.DaemonSet',
  'k8s.io.api.batch.v1.Job',
  'k8s.io.api.batch.v1.CronJob',
  'k8s.io.api.networking.v1.Ingress',
  'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler',
  'k8s.io.api.autoscaling.v1.Scale',
  'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'k8s.io.apimachinery.pkg.runtime.Unknown',
];

// Go structs embedded with `json:",inline"` (Volume's VolumeSource, IngressRule's
// IngressRuleValue, Probe's ProbeHandler, …) are proto fields but flattened in JSON: a message
// field the OpenAPI definition does not have, whose own fields it does have, is inline.
const schemas = JSON.parse(
  readFileSync(join(here, '..', 'src', 'api', 'schemas.json'), 'utf8'),
).definitions;
const openapiName = name => `io.${name.replace(/^k8s\.io\./, 'k8s.')}`;
function isInline(owner, f) {
  const def = schemas[openapiName(owner)];
  const target = messages.get(f.typeName);
  if (!def || !target || f.name in def.p) return false;
  return target.fields.some(t => t.name in def.p);
}

const out = {};
const queue = [...ROOTS];
const encode = (owner, f) => {
  const type = TYPES[f.type];
  if (!type) throw new Error(`unsupported field type ${f.type} in ${f.name}`);
  if (type !== 'msg') return [f.name, type, f.label === 3 ? 1 : 0];
  const target = messages.get(f.typeName);
  if (!target) throw new Error(`unknown message ${f.typeName}`);
  if (target.mapEntry) {
    const key = target.fields.find(x => x.number === 1);
    const value = target.fields.find(x => x.number === 2);
    if (TYPES[value.type] === 'msg') queue.push(value.typeName);
    return [
      f.name,
      'map',
      0,
      TYPES[key.type],
      TYPES[value.type],
      value.typeName ?? '',
    ];
  }
  queue.push(f.typeName);
  const spec = [f.name, 'msg', f.label === 3 ? 1 : 0, f.typeName];
  if (isInline(owner, f)) spec.push('inline');
  return spec;
};
while (queue.length) {
  const name = queue.shift();
  if (out[name]) continue;
  const m = messages.get(name);
  if (!m) throw new Error(`message ${name} not found in the kubectl binary`);
  out[name] = {};
  for (const f of m.fields) out[name][f.number] = encode(name, f);
}

const target = join(here, '..', 'src', 'api', 'protobufTypes.json');
const sorted = Object.fromEntries(
  Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)),
);
writeFileSync(
  target,
  formatJson({
    source: `descriptors of ${files} k8s.io generated.proto files in kubectl`,
    messages: sorted,
  }),
);
console.log(`wrote ${Object.keys(sorted).length} messages to ${target}`);
if (!existsSync(target)) process.exitCode = 1;
