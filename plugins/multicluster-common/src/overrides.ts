/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { describeZodIssues } from './validation';

/**
 * The subset of RFC 6902 JSON Patch used for per-cluster overrides. `move`,
 * `copy` and `test` are left out on purpose: overrides only set or drop values.
 * @public
 */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

/** The patches applied to a manifest for one cluster. @public */
export interface ClusterOverride {
  /** The cluster the patches apply to. */
  clusterName: string;
  /** JSON Patch operations, applied in order. */
  patches: JsonPatchOperation[];
}

/**
 * Paths that identify the object; overriding them would deploy a different
 * object per cluster, which placement and rollback cannot track.
 * @public
 */
export const PROTECTED_OVERRIDE_PATHS = [
  '/apiVersion',
  '/kind',
  '/metadata/name',
  '/metadata/namespace',
  '/metadata/generateName',
] as const;

/**
 * A patch that cannot be applied. Names the operation index and path. An
 * InputError, so a bad override is a 400 in a Backstage backend.
 * @public
 */
export class OverrideError extends InputError {
  /** Index of the failing operation. */
  readonly opIndex: number;
  /** JSON Pointer of the failing operation. */
  readonly path: string;

  constructor(opIndex: number, path: string, problem: string) {
    super(`Override operation ${opIndex} (path "${path}"): ${problem}`);
    this.opIndex = opIndex;
    this.path = path;
  }
}

/**
 * Why a string is not a valid JSON Pointer (RFC 6901), or undefined.
 * @public
 */
export function jsonPointerProblem(pointer: string): string | undefined {
  if (pointer !== '' && !pointer.startsWith('/')) {
    return 'a JSON pointer is empty or starts with "/"';
  }
  if (/~(?![01])/.test(pointer)) {
    return 'in a JSON pointer "~" must be followed by 0 (for "~") or 1 (for "/")';
  }
  return undefined;
}

/**
 * Splits a JSON Pointer into unescaped reference tokens (`~1` → `/`, then
 * `~0` → `~`, in that order as RFC 6901 requires).
 * @public
 */
export function parseJsonPointer(pointer: string): string[] {
  const problem = jsonPointerProblem(pointer);
  if (problem) {
    throw new InputError(`Invalid JSON pointer "${pointer}": ${problem}`);
  }
  if (pointer === '') {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map(token => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const pointerSchema = z
  .string({
    required_error: 'path is required',
    invalid_type_error: 'path must be a string',
  })
  .superRefine((path, ctx) => {
    const problem = jsonPointerProblem(path);
    if (problem) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `invalid path "${path}": ${problem}`,
      });
    }
  });

// `value: z.unknown()` would accept a missing value; RFC 6902 requires one.
const requiredValue = z.custom<unknown>(v => v !== undefined, {
  message: 'value is required for add and replace',
});

/** zod schema of one patch operation. @public */
export const jsonPatchOperationSchema: z.ZodType<JsonPatchOperation> =
  z.discriminatedUnion(
    'op',
    [
      z
        .object({
          op: z.literal('add'),
          path: pointerSchema,
          value: requiredValue,
        })
        .strict(),
      z.object({ op: z.literal('remove'), path: pointerSchema }).strict(),
      z
        .object({
          op: z.literal('replace'),
          path: pointerSchema,
          value: requiredValue,
        })
        .strict(),
    ],
    {
      errorMap: (issue, ctx) =>
        issue.code === z.ZodIssueCode.invalid_union_discriminator
          ? { message: 'op must be one of add, remove, replace' }
          : { message: ctx.defaultError },
    },
  ) as z.ZodType<JsonPatchOperation>;

/** zod schema of per-cluster overrides: `[{ clusterName, patches }]`. @public */
export const clusterOverridesSchema: z.ZodType<ClusterOverride[]> = z.array(
  z
    .object({
      clusterName: z
        .string({
          required_error: 'clusterName is required',
          invalid_type_error: 'clusterName must be a string',
        })
        .min(1, 'clusterName must not be empty'),
      patches: z.array(jsonPatchOperationSchema, {
        required_error: 'patches is required',
        invalid_type_error: 'patches must be a list of JSON patch operations',
      }),
    })
    .strict(),
);

/** The patches for one cluster, in order; several entries for it are concatenated. @public */
export function overridesForCluster(
  overrides: ClusterOverride[] | undefined,
  clusterName: string,
): JsonPatchOperation[] {
  return (overrides ?? [])
    .filter(o => o.clusterName === clusterName)
    .flatMap(o => o.patches);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const hasOwn = (obj: object, key: string) =>
  Object.prototype.hasOwnProperty.call(obj, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Own-property definition so a `__proto__` key stays data and never becomes a prototype.
function setOwn(obj: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(obj, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Deep-copies JSON data; anything else (functions, class instances) is refused. */
function cloneJson(value: unknown, where: () => string): Json {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new InputError(`${where()}: ${value} is not a JSON number`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(item => cloneJson(item, where));
  }
  if (isPlainObject(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new InputError(
        `${where()}: only plain JSON objects can be patched`,
      );
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) {
        setOwn(copy, key, cloneJson(value[key], where));
      }
    }
    return copy as Json;
  }
  throw new InputError(`${where()}: a ${typeof value} is not JSON data`);
}

const ARRAY_INDEX_RE = /^(0|[1-9][0-9]*)$/;

function protectedTarget(tokens: string[]): string | undefined {
  for (const protectedPath of PROTECTED_OVERRIDE_PATHS) {
    const protectedTokens = parseJsonPointer(protectedPath);
    // Refuse the path itself and every ancestor (removing /metadata drops the name too).
    if (
      tokens.length <= protectedTokens.length &&
      tokens.every((token, i) => token === protectedTokens[i])
    ) {
      return protectedPath;
    }
  }
  return undefined;
}

function applyOne(
  document: Json,
  operation: JsonPatchOperation,
  index: number,
): Json {
  const fail = (problem: string): never => {
    throw new OverrideError(index, operation.path, problem);
  };
  const tokens = parseJsonPointer(operation.path);
  if (tokens.length === 0) {
    fail(
      'the whole manifest cannot be replaced or removed per cluster; patch a deeper path',
    );
  }
  const guarded = protectedTarget(tokens);
  if (guarded) {
    fail(
      guarded === operation.path
        ? `${guarded} identifies the object and cannot be overridden per cluster`
        : `this ${operation.op} would change ${guarded}, which identifies the object and cannot be overridden per cluster; patch a deeper path instead`,
    );
  }
  const value =
    operation.op === 'remove'
      ? undefined
      : cloneJson(
          operation.value,
          () => `Override operation ${index} (path "${operation.path}")`,
        );

  // Walk to the parent of the target.
  const pointerTo = (n: number) =>
    tokens
      .slice(0, n)
      .map(t => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`)
      .join('');
  let parent: Json = document;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i];
    if (Array.isArray(parent)) {
      if (!ARRAY_INDEX_RE.test(token) || Number(token) >= parent.length) {
        fail(
          `${pointerTo(
            i + 1,
          )} does not exist (array index out of range or not a number)`,
        );
      }
      parent = parent[Number(token)];
    } else if (isPlainObject(parent)) {
      if (!hasOwn(parent, token)) {
        fail(`${pointerTo(i + 1)} does not exist`);
      }
      parent = parent[token];
    } else {
      fail(
        `${pointerTo(i)} cannot be traversed: it is not an object or an array`,
      );
    }
  }

  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const length = parent.length;
    if (operation.op === 'add' && last === '-') {
      parent.push(value as Json);
      return document;
    }
    if (!ARRAY_INDEX_RE.test(last)) {
      return fail(
        `"${last}" is not an array index (a non-negative integer without leading zeros${
          operation.op === 'add' ? ', or "-" to append' : ''
        })`,
      );
    }
    const position = Number(last);
    if (operation.op === 'add') {
      if (position > length) {
        fail(
          `index ${position} is out of range for add (the array has ${length} items)`,
        );
      }
      parent.splice(position, 0, value as Json);
    } else {
      if (position >= length) {
        fail(
          `index ${position} does not exist (the array has ${length} items)`,
        );
      }
      if (operation.op === 'remove') {
        parent.splice(position, 1);
      } else {
        parent[position] = value as Json;
      }
    }
    return document;
  }
  if (isPlainObject(parent)) {
    if (operation.op !== 'add' && !hasOwn(parent, last)) {
      fail(
        `the target does not exist, so it cannot be ${
          operation.op === 'remove' ? 'removed' : 'replaced'
        }`,
      );
    }
    if (operation.op === 'remove') {
      delete parent[last];
    } else {
      setOwn(parent, last, value);
    }
    return document;
  }
  return fail('the parent of the target is not an object or an array');
}

/**
 * Applies JSON patch operations to a manifest and returns a new manifest; the
 * input is never mutated, and nothing is returned unless every operation
 * applies. Operations that touch apiVersion, kind, metadata.name,
 * metadata.namespace or metadata.generateName are refused. Throws OverrideError
 * (an InputError) naming the operation index and path.
 * @public
 */
export function applyOverrides<T extends object>(
  manifest: T,
  ops: JsonPatchOperation[],
): T {
  if (!isPlainObject(manifest)) {
    throw new InputError('Overrides apply to a manifest object');
  }
  if (!Array.isArray(ops)) {
    throw new InputError('Overrides must be a list of JSON patch operations');
  }
  const operations = ops.map((op, index) => {
    const result = jsonPatchOperationSchema.safeParse(op);
    if (!result.success) {
      const path = (op as { path?: unknown } | null)?.path;
      throw new OverrideError(
        index,
        typeof path === 'string' ? path : '',
        describeZodIssues(result.error, 'operation'),
      );
    }
    return result.data;
  });
  let document = cloneJson(manifest, () => 'Manifest');
  operations.forEach((operation, index) => {
    document = applyOne(document, operation, index);
  });
  return document as unknown as T;
}
