/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import protobufData from './protobufTypes.json';
import { badRequest } from './status';

// kubectl 1.32+ (client-go typed clients) send create/update bodies of built-in types as
// application/vnd.kubernetes.protobuf, without falling back to JSON. This decodes them into the
// JSON form the rest of the emulator works with. Responses stay JSON: clients accept both.

/** [name, type, repeated], [name, 'msg', repeated, messageName, 'inline'?] or [name, 'map', 0, keyType, valueType, valueMessage]. */
type FieldSpec = [string, string, number, ...string[]];

const MESSAGES = (
  protobufData as unknown as {
    messages: Record<string, Record<string, FieldSpec>>;
  }
).messages;

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/**
 * Go pointer fields whose zero value means something (replicas: 0, runAsUser: 0, …). Other
 * scalar fields are Go values that gogo-protobuf always writes, so their zero values are
 * dropped, as encoding/json's omitempty would have.
 */
const ZERO_MEANINGFUL = new Set([
  'replicas',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'partition',
  'parallelism',
  'completions',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'activeDeadlineSeconds',
  'ttlSecondsAfterFinished',
  'startingDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'suspend',
  'manualSelector',
  'terminationGracePeriodSeconds',
  'automountServiceAccountToken',
  'enableServiceLinks',
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'fsGroup',
  'privileged',
  'readOnlyRootFilesystem',
  'allowPrivilegeEscalation',
  'immutable',
  'defaultMode',
  'optional',
  'mode',
  'minReplicas',
  'allocateLoadBalancerNodePorts',
  'hostUsers',
  'shareProcessNamespace',
  'priority',
]);

/** A map entry's value before (or without) its field: the proto3 zero value. */
const ZERO_VALUES: Record<string, unknown> = {
  msg: {},
  string: '',
  bytes: '',
  bool: false,
};
/** Wire types of packed scalars: fixed64 for double, fixed32 for float, varint otherwise. */
const WIRE_TYPES: Record<string, number> = { double: 1, float: 5 };

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done() {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length)
        throw badRequest('protobuf: unexpected end of data');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
    throw badRequest('protobuf: varint overflow');
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    if (len < 0 || this.pos + len > this.buf.length)
      throw badRequest('protobuf: length out of range');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
}

function toInt(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

function scalar(type: string, wire: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int':
      return toInt(r.varint());
    case 'double': {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    case 'float': {
      const v = r.buf.readFloatLE(r.pos);
      r.pos += 4;
      return v;
    }
    default:
      r.skip(wire);
      return undefined;
  }
}

function isZero(v: unknown): boolean {
  return (
    v === '' ||
    v === 0 ||
    v === false ||
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0)
  );
}

/** Well-known messages that JSON renders as scalars. */
function special(name: string, obj: Record<string, any>): unknown {
  switch (name) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const seconds = obj.seconds ?? 0;
      const nanos = obj.nanos ?? 0;
      if (!seconds && !nanos) return null;
      const iso = new Date(
        seconds * 1000 + Math.floor(nanos / 1e6),
      ).toISOString();
      return name.endsWith('MicroTime')
        ? iso.replace(
            /\.\d+Z$/,
            `.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`,
          )
        : iso.replace(/\.\d+Z$/, 'Z');
    }
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return obj.type === 1 ? obj.strVal ?? '' : obj.intVal ?? 0;
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return obj.string ?? '0';
    case `${META}.FieldsV1`:
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension': {
      const raw = obj.Raw ?? obj.raw;
      if (!raw) return {};
      try {
        return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
      } catch {
        return {};
      }
    }
    case `${META}.Duration`: {
      const ns = obj.duration ?? 0;
      return `${ns / 1e9}s`;
    }
    default:
      return undefined;
  }
}

function decodeMessage(name: string, buf: Buffer, depth: number): unknown {
  if (depth > 64) throw badRequest('protobuf: message nested too deeply');
  const spec = MESSAGES[name];
  if (!spec)
    throw badRequest(`protobuf: no type ${name} is known to this server`);
  const r = new Reader(buf);
  const out: Record<string, any> = {};
  while (!r.done) {
    const key = Number(r.varint());
    const num = key >>> 3;
    const wire = key & 7;
    const f = spec[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    const [field, type, repeated] = f;
    if (type === 'msg') {
      const value = decodeMessage(f[3], r.bytes(), depth + 1);
      // Embedded Go structs (`json:",inline"`) flatten into their parent.
      if (f[4] === 'inline' && value && typeof value === 'object')
        Object.assign(out, value);
      else if (repeated) (out[field] ??= []).push(value);
      else out[field] = value;
    } else if (type === 'map') {
      const entry = new Reader(r.bytes());
      let k: unknown = '';
      let v: unknown = ZERO_VALUES[f[4]] ?? 0;
      while (!entry.done) {
        const ek = Number(entry.varint());
        const en = ek >>> 3;
        if (en === 1) k = scalar(f[3], ek & 7, entry);
        else if (en === 2)
          v =
            f[4] === 'msg'
              ? decodeMessage(f[5], entry.bytes(), depth + 1)
              : scalar(f[4], ek & 7, entry);
        else entry.skip(ek & 7);
      }
      (out[field] ??= {})[String(k)] = v;
    } else if (
      repeated &&
      wire === 2 &&
      type !== 'string' &&
      type !== 'bytes'
    ) {
      // Packed repeated scalars.
      const packed = new Reader(r.bytes());
      const list = (out[field] ??= []);
      while (!packed.done)
        list.push(scalar(type, WIRE_TYPES[type] ?? 0, packed));
    } else {
      const value = scalar(type, wire, r);
      if (repeated) (out[field] ??= []).push(value);
      else out[field] = value;
    }
  }
  const asScalar = special(name, out);
  if (asScalar !== undefined) return asScalar;
  for (const [k, v] of Object.entries(out)) {
    const f = Object.values(spec).find(s => s[0] === k);
    if (!f) continue;
    if (f[1] === 'msg' && !f[2]) {
      if (v === null) delete out[k];
      continue;
    }
    if (f[1] === 'map') continue;
    if (
      isZero(v) &&
      !(ZERO_MEANINGFUL.has(k) && v !== undefined && !Array.isArray(v))
    )
      delete out[k];
  }
  return out;
}

function messageFor(apiVersion: string, kind: string): string {
  if (kind === 'DeleteOptions') return `${META}.DeleteOptions`;
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  const pkg = group ? group.split('.')[0] : 'core';
  return `k8s.io.api.${pkg}.${version}.${kind}`;
}

export function isProtobuf(contentType: string | undefined): boolean {
  return (
    (contentType ?? '').split(';')[0].trim().toLowerCase() ===
    'application/vnd.kubernetes.protobuf'
  );
}

/**
 * Decodes a Kubernetes protobuf body ("k8s\0" + runtime.Unknown{typeMeta, raw}) into the
 * object's JSON form, with apiVersion and kind from the envelope.
 */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw badRequest(
      'protobuf: the body does not start with the Kubernetes protobuf magic number',
    );
  }
  const unknown = decodeMessage(
    'k8s.io.apimachinery.pkg.runtime.Unknown',
    body.subarray(4),
    0,
  ) as Record<string, any>;
  const apiVersion: string = unknown.typeMeta?.apiVersion ?? '';
  const kind: string = unknown.typeMeta?.kind ?? '';
  if (!kind) throw badRequest('protobuf: the envelope names no kind');
  const raw = Buffer.from(unknown.raw ?? '', 'base64');
  const obj = decodeMessage(messageFor(apiVersion, kind), raw, 0) as Record<
    string,
    unknown
  >;
  return { apiVersion, kind, ...obj };
}
