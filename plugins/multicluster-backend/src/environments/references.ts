/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * `${{ ... }}` expressions in component inputs. Two forms exist:
 * `${{ components.<key>.<capability> }}` (a capability of another component,
 * which also makes it a dependency) and `${{ environment.<field> }}`
 * (name, type, cloud, owner). Nothing else is evaluated: inputs come from
 * config and users, so there is deliberately no expression language here.
 */

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const WHOLE_EXPRESSION = /^\$\{\{\s*(.*?)\s*\}\}$/;
const COMPONENT_REF =
  /^components\.([a-zA-Z][a-zA-Z0-9_-]*)\.([a-zA-Z][a-zA-Z0-9_]*)$/;
const ENVIRONMENT_REF = /^environment\.(name|type|cloud|owner)$/;

export const ENVIRONMENT_FIELDS = ['name', 'type', 'cloud', 'owner'] as const;
export type EnvironmentField = (typeof ENVIRONMENT_FIELDS)[number];

export type Reference =
  | { type: 'component'; component: string; capability: string }
  | { type: 'environment'; field: EnvironmentField };

/** Parses the inside of one `${{ }}`; throws naming the expression when it is not a known form. */
export function parseExpression(expression: string): Reference {
  const component = COMPONENT_REF.exec(expression);
  if (component)
    return {
      type: 'component',
      component: component[1],
      capability: component[2],
    };
  const env = ENVIRONMENT_REF.exec(expression);
  if (env) return { type: 'environment', field: env[1] as EnvironmentField };
  throw new Error(
    `unsupported expression "\${{ ${expression} }}": use \${{ components.<key>.<capability> }} or ` +
      `\${{ environment.<${ENVIRONMENT_FIELDS.join('|')}> }}`,
  );
}

/** One reference found in inputs, with the input path it sits at (`subnetIds`, `tags.network`). */
export interface FoundReference {
  path: string;
  reference: Reference;
}

function walk(
  value: unknown,
  path: string,
  visit: (text: string, path: string) => void,
): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      walk(v, path ? `${path}.${k}` : k, visit);
  }
}

/** Every reference in a value; throws (naming the input path) on an unsupported expression. */
export function findReferences(inputs: unknown): FoundReference[] {
  const found: FoundReference[] = [];
  walk(inputs, '', (text, path) => {
    for (const match of text.matchAll(EXPRESSION)) {
      try {
        found.push({ path, reference: parseExpression(match[1]) });
      } catch (error) {
        throw new Error(`${path || '(value)'}: ${(error as Error).message}`);
      }
    }
  });
  return found;
}

/** The component keys a value depends on, sorted and unique. */
export function componentDependencies(inputs: unknown): string[] {
  const keys = new Set<string>();
  for (const { reference } of findReferences(inputs)) {
    if (reference.type === 'component') keys.add(reference.component);
  }
  return [...keys].sort();
}

export interface ResolutionScope {
  environment: Record<EnvironmentField, string>;
  /** Capabilities of ready components, secrets in clear (resolution happens inside the engine only). */
  components: Record<string, Record<string, unknown>>;
}

function lookup(reference: Reference, scope: ResolutionScope): unknown {
  if (reference.type === 'environment')
    return scope.environment[reference.field];
  const capabilities = scope.components[reference.component];
  if (!capabilities) {
    throw new Error(
      `component ${reference.component} is not ready, so its capabilities cannot be read`,
    );
  }
  if (!(reference.capability in capabilities)) {
    throw new Error(
      `component ${reference.component} has no capability ${reference.capability}`,
    );
  }
  return capabilities[reference.capability];
}

/**
 * Resolves every expression. A string that is exactly one expression takes the
 * referenced value with its type (a list of subnet ids stays a list); an
 * expression inside a longer string is interpolated as text.
 */
export function resolveReferences<T>(value: T, scope: ResolutionScope): T {
  if (typeof value === 'string') {
    const whole = WHOLE_EXPRESSION.exec(value);
    if (whole && !whole[1].includes('}}')) {
      return lookup(parseExpression(whole[1]), scope) as T;
    }
    return value.replace(EXPRESSION, (_m, expression: string) => {
      const resolved = lookup(parseExpression(expression), scope);
      return Array.isArray(resolved) ? resolved.join(',') : String(resolved);
    }) as T;
  }
  if (Array.isArray(value))
    return value.map(item => resolveReferences(item, scope)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveReferences(v, scope)]),
    ) as T;
  }
  return value;
}
