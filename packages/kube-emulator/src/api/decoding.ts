/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { childType, definitionType, TypeNode } from './schema';
import { ResourceDef } from './resources';

// Strict decoding, as the API server's decoder does it: unknown and duplicate
// fields, and values of the wrong JSON type.

export type Obj = Record<string, any>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** The JSON value kinds each primitive accepts (int-or-string and quantities take both). */
const JSON_KINDS: Record<string, string[]> = {
  intorstring: ['string', 'number'],
  quantity: ['string', 'number'],
  integer: ['number'],
  number: ['number'],
  boolean: ['boolean'],
};

const GO_TYPES: Record<string, string> = {
  string: 'string',
  integer: 'int32',
  number: 'float64',
  boolean: 'bool',
  time: 'v1.Time',
  microtime: 'v1.MicroTime',
  bytes: '[]uint8',
};

/** The outcome of decoding a request body against the type model. */
export interface DecodeResult {
  /** Fields the type does not declare ("spec.template.spec.containers[0].imagee"). */
  unknownFields: string[];
  /** Values of the wrong JSON type: these fail whatever fieldValidation says. */
  typeErrors: string[];
}

/**
 * Walks a body against the type model, collecting unknown fields (what fieldValidation=Strict
 * rejects) and wrong value types (what JSON decoding into the Go structs rejects).
 */
export function decodeCheck(obj: Obj, def: ResourceDef | string): DecodeResult {
  const result: DecodeResult = { unknownFields: [], typeErrors: [] };
  const defName = typeof def === 'string' ? def : def.definition;
  const shortName = defName.split('.').pop()!;
  const visit = (
    value: unknown,
    type: TypeNode,
    path: string,
    owner: string,
    depth: number,
  ) => {
    if (depth > 64 || value === null || value === undefined) return;
    switch (type.kind) {
      case 'any':
        return;
      case 'primitive': {
        const kind = jsonKind(value);
        const ok = (JSON_KINDS[type.name] ?? ['string']).includes(kind);
        if (!ok) {
          result.typeErrors.push(
            `json: cannot unmarshal ${
              kind === 'object' ? 'object' : kind
            } into Go struct field ${owner}.${path} of type ${
              GO_TYPES[type.name] ?? type.name
            }`,
          );
        }
        return;
      }
      case 'array':
        if (!Array.isArray(value)) {
          result.typeErrors.push(
            `json: cannot unmarshal ${jsonKind(
              value,
            )} into Go struct field ${owner}.${path} of type []${
              type.items.kind === 'object'
                ? type.items.definition.name.split('.').pop()
                : 'string'
            }`,
          );
          return;
        }
        value.forEach((item, i) =>
          visit(item, type.items, `${path}[${i}]`, owner, depth + 1),
        );
        return;
      case 'map':
        if (!isObject(value)) {
          result.typeErrors.push(
            `json: cannot unmarshal ${jsonKind(
              value,
            )} into Go struct field ${owner}.${path} of type map[string]string`,
          );
          return;
        }
        for (const [k, v] of Object.entries(value))
          visit(v, type.values, `${path}.${k}`, owner, depth + 1);
        return;
      case 'object': {
        const name = type.definition.name.split('.').pop()!;
        if (!isObject(value)) {
          result.typeErrors.push(
            `json: cannot unmarshal ${jsonKind(
              value,
            )} into Go struct field ${owner}.${path} of type v1.${name}`,
          );
          return;
        }
        for (const [k, v] of Object.entries(value)) {
          const childPath = path ? `${path}.${k}` : k;
          if (!(k in type.definition.properties)) {
            result.unknownFields.push(childPath);
            continue;
          }
          visit(v, childType(type, k), childPath, name, depth + 1);
        }
        return;
      }
      default:
        return;
    }
  };
  visit(obj, definitionType(defName), '', shortName, 0);
  return result;
}
