/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { describeZodIssues } from './validation';

/** Operators of a label selector requirement (metav1.LabelSelectorOperator). @public */
export const LABEL_SELECTOR_OPERATORS = [
  'In',
  'NotIn',
  'Exists',
  'DoesNotExist',
] as const;

/** An operator of a label selector requirement. @public */
export type LabelSelectorOperator = (typeof LABEL_SELECTOR_OPERATORS)[number];

/** One requirement of a label selector (metav1.LabelSelectorRequirement). @public */
export interface LabelSelectorRequirement {
  /** The label key. */
  key: string;
  /** How the label's value is compared with `values`. */
  operator: LabelSelectorOperator;
  /** Required and non-empty for In and NotIn; absent or empty for Exists and DoesNotExist. */
  values?: string[];
}

/**
 * The object form of a Kubernetes label selector (metav1.LabelSelector). All
 * parts are ANDed; an empty selector matches everything.
 * @public
 */
export interface LabelSelector {
  /** Labels that must have exactly these values. */
  matchLabels?: Record<string, string>;
  /** Requirements that must all hold. */
  matchExpressions?: LabelSelectorRequirement[];
}

/** The string syntax, quoted in every parse error so the fix is obvious. @public */
export const LABEL_SELECTOR_SYNTAX =
  'key=value, key==value, key!=value, key in (v1,v2), key notin (v1,v2), key, !key; ' +
  'requirements are separated by commas';

/**
 * A label selector that does not parse or breaks the Kubernetes rules. It is an
 * InputError (HTTP 400 in a Backstage backend) so a bad `?selector=` needs no mapping.
 * @public
 */
export class LabelSelectorError extends InputError {
  /** 0-based offset in the selector text of the offending token, when parsing text. */
  readonly position?: number;

  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

// Kubernetes validation rules (k8s.io/apimachinery/pkg/util/validation).
const QUALIFIED_NAME_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const LABEL_VALUE_MAX = 63;
const NAME_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why a string is not a valid label key, or undefined when it is. A key is an
 * optional DNS-subdomain prefix and `/`, then a name of at most 63 characters
 * (e.g. `topology.kubernetes.io/region`).
 * @public
 */
export function labelKeyProblem(key: string): string | undefined {
  if (key.length === 0) {
    return 'a label key must not be empty';
  }
  const parts = key.split('/');
  let name = key;
  if (parts.length > 2) {
    return 'a label key has at most one "/" (an optional DNS-subdomain prefix, then a name)';
  }
  if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      return 'the prefix before "/" must not be empty';
    }
    if (
      prefix.length > DNS1123_SUBDOMAIN_MAX ||
      !DNS1123_SUBDOMAIN_RE.test(prefix)
    ) {
      return `the prefix "${prefix}" must be a DNS subdomain: at most ${DNS1123_SUBDOMAIN_MAX} characters, lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`;
    }
  }
  if (name.length === 0) {
    return 'the name part must not be empty';
  }
  if (name.length > QUALIFIED_NAME_MAX || !NAME_PART_RE.test(name)) {
    return `the name part "${name}" must be at most ${QUALIFIED_NAME_MAX} characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * Why a string is not a valid label value, or undefined when it is. Values may
 * be empty.
 * @public
 */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) {
    return undefined;
  }
  if (value.length > LABEL_VALUE_MAX || !NAME_PART_RE.test(value)) {
    return `a label value must be empty or at most ${LABEL_VALUE_MAX} characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Whether a string is a valid Kubernetes label key (optional DNS prefix, name of at most 63 characters). @public */
export function isValidLabelKey(key: string): boolean {
  return labelKeyProblem(key) === undefined;
}

/** Whether a string is a valid Kubernetes label value (empty, or at most 63 characters with alphanumeric ends). @public */
export function isValidLabelValue(value: string): boolean {
  return labelValueProblem(value) === undefined;
}

const labelKeySchema = z.string().superRefine((key, ctx) => {
  const problem = labelKeyProblem(key);
  if (problem) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `invalid label key "${key}": ${problem}`,
    });
  }
});

const labelValueSchema = z.string().superRefine((value, ctx) => {
  const problem = labelValueProblem(value);
  if (problem) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `invalid label value "${value}": ${problem}`,
    });
  }
});

/** zod schema of one requirement, with the Kubernetes rules on `values`. @public */
export const labelSelectorRequirementSchema = z
  .object({
    key: labelKeySchema,
    operator: z.enum(LABEL_SELECTOR_OPERATORS, {
      errorMap: () => ({
        message: `operator must be one of ${LABEL_SELECTOR_OPERATORS.join(
          ', ',
        )}`,
      }),
    }),
    values: z.array(labelValueSchema).optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    const count = req.values?.length ?? 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && count === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['values'],
        message: `values must be a non-empty list for operator ${req.operator}`,
      });
    }
    if (
      (req.operator === 'Exists' || req.operator === 'DoesNotExist') &&
      count > 0
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['values'],
        message: `values must be empty for operator ${req.operator}`,
      });
    }
  });

/** zod schema of the object form of a label selector. @public */
export const labelSelectorSchema = z
  .object({
    matchLabels: z.record(labelKeySchema, labelValueSchema).optional(),
    matchExpressions: z.array(labelSelectorRequirementSchema).optional(),
  })
  .strict();

/**
 * Checks the object form against the Kubernetes rules; throws LabelSelectorError
 * naming every problem.
 * @public
 */
export function validateLabelSelector(selector: unknown): LabelSelector {
  const result = labelSelectorSchema.safeParse(selector);
  if (!result.success) {
    throw new LabelSelectorError(
      `Invalid label selector: ${describeZodIssues(result.error, 'selector')}`,
    );
  }
  return result.data;
}

// ---------------------------------------------------------------------------
// The string syntax. A port of the lexer/parser of
// k8s.io/apimachinery/pkg/labels/selector.go, restricted to what the object
// form can express (no `>` / `<`).

type TokenType =
  | 'identifier'
  | 'in'
  | 'notin'
  | '='
  | '=='
  | '!='
  | '!'
  | '('
  | ')'
  | ','
  | '>'
  | '<'
  | 'end';

interface Token {
  type: TokenType;
  text: string;
  /** 0-based offset in the input. */
  pos: number;
}

// Characters that end an identifier, as in Kubernetes' lexer.
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const isWhitespace = (c: string) =>
  c === ' ' ||
  c === '\t' ||
  c === '\n' ||
  c === '\r' ||
  c === '\f' ||
  c === '\v';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if (c === '=' || c === '!') {
      if (text[i + 1] === '=') {
        tokens.push({ type: c === '=' ? '==' : '!=', text: `${c}=`, pos: i });
        i += 2;
      } else {
        tokens.push({ type: c, text: c, pos: i });
        i++;
      }
      continue;
    }
    if (SPECIAL.has(c)) {
      tokens.push({ type: c as TokenType, text: c, pos: i });
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && !isWhitespace(text[i]) && !SPECIAL.has(text[i])) {
      i++;
    }
    const word = text.slice(start, i);
    const isKeyword = word === 'in' || word === 'notin';
    tokens.push({
      type: isKeyword ? (word as TokenType) : 'identifier',
      text: word,
      pos: start,
    });
  }
  tokens.push({ type: 'end', text: '', pos: text.length });
  return tokens;
}

class Parser {
  private index = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'end') {
      this.index++;
    }
    return token;
  }

  private fail(token: Token, problem: string): never {
    const found =
      token.type === 'end' ? 'the end of the selector' : `"${token.text}"`;
    throw new LabelSelectorError(
      `Invalid label selector "${this.text}": ${problem} at column ${
        token.pos + 1
      }, found ${found}. ` + `Allowed syntax: ${LABEL_SELECTOR_SYNTAX}`,
      token.pos,
    );
  }

  private checkKey(token: Token) {
    const problem = labelKeyProblem(token.text);
    if (problem) {
      this.fail(token, `invalid label key (${problem})`);
    }
  }

  private checkValue(token: Token, value: string) {
    const problem = labelValueProblem(value);
    if (problem) {
      this.fail(token, `invalid label value (${problem})`);
    }
  }

  /** A value where keywords are plain words (`a=in` is valid, as in Kubernetes). */
  private isValueToken(token: Token) {
    return (
      token.type === 'identifier' ||
      token.type === 'in' ||
      token.type === 'notin'
    );
  }

  parse(): LabelSelector {
    const matchLabels: Record<string, string> = {};
    const matchExpressions: LabelSelectorRequirement[] = [];
    if (this.peek().type === 'end') {
      return {};
    }
    for (;;) {
      this.parseRequirement(matchLabels, matchExpressions);
      const separator = this.next();
      if (separator.type === 'end') {
        break;
      }
      if (separator.type !== ',') {
        this.fail(separator, "expected ',' or the end of the selector");
      }
    }
    const selector: LabelSelector = {};
    if (Object.keys(matchLabels).length > 0) {
      selector.matchLabels = matchLabels;
    }
    if (matchExpressions.length > 0) {
      selector.matchExpressions = matchExpressions;
    }
    return selector;
  }

  private parseRequirement(
    matchLabels: Record<string, string>,
    matchExpressions: LabelSelectorRequirement[],
  ) {
    let token = this.next();
    if (token.type === '!') {
      token = this.next();
      if (token.type !== 'identifier') {
        this.fail(token, "expected a label key after '!'");
      }
      this.checkKey(token);
      matchExpressions.push({ key: token.text, operator: 'DoesNotExist' });
      return;
    }
    if (token.type !== 'identifier') {
      this.fail(token, "expected a label key or '!'");
    }
    this.checkKey(token);
    const key = token.text;

    const lookahead = this.peek();
    if (lookahead.type === 'end' || lookahead.type === ',') {
      matchExpressions.push({ key, operator: 'Exists' });
      return;
    }

    const operator = this.next();
    switch (operator.type) {
      case '=':
      case '==':
      case '!=': {
        let value = '';
        const valueToken = this.peek();
        if (this.isValueToken(valueToken)) {
          this.next();
          value = valueToken.text;
        } else if (valueToken.type !== 'end' && valueToken.type !== ',') {
          this.fail(
            valueToken,
            `expected a label value after '${operator.text}'`,
          );
        }
        this.checkValue(valueToken, value);
        if (operator.type === '!=') {
          matchExpressions.push({ key, operator: 'NotIn', values: [value] });
        } else if (Object.prototype.hasOwnProperty.call(matchLabels, key)) {
          // A second equality on the same key cannot live in matchLabels; both must hold.
          matchExpressions.push({ key, operator: 'In', values: [value] });
        } else {
          matchLabels[key] = value;
        }
        return;
      }
      case 'in':
      case 'notin':
        matchExpressions.push({
          key,
          operator: operator.type === 'in' ? 'In' : 'NotIn',
          values: this.parseValueSet(operator),
        });
        return;
      case '>':
      case '<':
        this.fail(
          operator,
          `the '${operator.text}' operator cannot be expressed in a LabelSelector object`,
        );
        break;
      default:
        this.fail(
          operator,
          `expected an operator (=, ==, !=, in, notin) after "${key}"`,
        );
    }
  }

  private parseValueSet(operator: Token): string[] {
    const open = this.next();
    if (open.type !== '(') {
      this.fail(open, `expected '(' after '${operator.text}'`);
    }
    if (this.peek().type === ')') {
      this.fail(
        this.peek(),
        `the value set of '${operator.text}' must not be empty`,
      );
    }
    const values: string[] = [];
    for (;;) {
      const token = this.peek();
      let value = '';
      if (this.isValueToken(token)) {
        this.next();
        value = token.text;
      } else if (token.type !== ',' && token.type !== ')') {
        // `(a,)` and `(,a)` carry an empty value, as in Kubernetes.
        this.fail(token, "expected a label value, ',' or ')'");
      }
      this.checkValue(token, value);
      if (!values.includes(value)) {
        values.push(value);
      }
      const separator = this.next();
      if (separator.type === ')') {
        return values;
      }
      if (separator.type !== ',') {
        this.fail(separator, "expected ',' or ')' in the value set");
      }
    }
  }
}

/**
 * Parses the Kubernetes label-selector string syntax (`env=prod,tier in (web,api),!legacy`)
 * into the object form. An empty or blank string is the empty selector, which
 * matches everything.
 * @public
 */
export function parseLabelSelector(text: string): LabelSelector {
  if (typeof text !== 'string') {
    throw new LabelSelectorError(
      `Invalid label selector: expected a string, got ${
        text === null ? 'null' : typeof text
      }. Allowed syntax: ${LABEL_SELECTOR_SYNTAX}`,
    );
  }
  return new Parser(text, tokenize(text)).parse();
}

/**
 * Formats the object form in the string syntax; `parseLabelSelector` reads it
 * back to an equivalent selector. Throws LabelSelectorError for an invalid selector.
 * @public
 */
export function formatLabelSelector(selector: LabelSelector): string {
  const valid = validateLabelSelector(selector);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(valid.matchLabels ?? {})) {
    parts.push(`${key}=${value}`);
  }
  for (const req of valid.matchExpressions ?? []) {
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        parts.push(`${req.key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(
          values.length === 1
            ? `${req.key}!=${values[0]}`
            : `${req.key} notin (${values.join(',')})`,
        );
        break;
      case 'Exists':
        parts.push(req.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${req.key}`);
        break;
      default:
        // Unreachable after validation; kept for exhaustiveness.
        throw new LabelSelectorError(
          `Unknown operator ${String(req.operator)}`,
        );
    }
  }
  return parts.join(',');
}

/** A compiled selector: a predicate over a label set. @public */
export type LabelMatcher = (
  labels: Record<string, string> | undefined,
) => boolean;

const hasOwn = (labels: Record<string, string>, key: string) =>
  Object.prototype.hasOwnProperty.call(labels, key);

/**
 * Validates a selector once and returns a predicate, for filtering many label
 * sets with the same selector. Accepts the object form or the string syntax.
 * @public
 */
export function compileLabelSelector(
  selector: LabelSelector | string,
): LabelMatcher {
  const valid =
    typeof selector === 'string'
      ? parseLabelSelector(selector)
      : validateLabelSelector(selector);
  const checks: Array<(labels: Record<string, string>) => boolean> = [];
  for (const [key, value] of Object.entries(valid.matchLabels ?? {})) {
    checks.push(labels => hasOwn(labels, key) && labels[key] === value);
  }
  for (const req of valid.matchExpressions ?? []) {
    const values = new Set(req.values ?? []);
    switch (req.operator) {
      case 'In':
        checks.push(
          labels => hasOwn(labels, req.key) && values.has(labels[req.key]),
        );
        break;
      case 'NotIn':
        // Kubernetes semantics: NotIn (and so `!=`) also matches when the key is absent.
        checks.push(
          labels => !hasOwn(labels, req.key) || !values.has(labels[req.key]),
        );
        break;
      case 'Exists':
        checks.push(labels => hasOwn(labels, req.key));
        break;
      case 'DoesNotExist':
        checks.push(labels => !hasOwn(labels, req.key));
        break;
      default:
        throw new LabelSelectorError(
          `Unknown operator ${String(req.operator)}`,
        );
    }
  }
  return labels => {
    const set = labels ?? {};
    return checks.every(check => check(set));
  };
}

/**
 * True when the labels satisfy every requirement of the selector. The empty
 * selector matches everything. Throws LabelSelectorError for an invalid selector.
 * @public
 */
export function matchesLabelSelector(
  selector: LabelSelector | string,
  labels: Record<string, string> | undefined,
): boolean {
  return compileLabelSelector(selector)(labels);
}

/** True when the selector has no requirement (and so selects everything). @public */
export function isEmptyLabelSelector(
  selector: LabelSelector | string,
): boolean {
  const parsed =
    typeof selector === 'string' ? parseLabelSelector(selector) : selector;
  return (
    Object.keys(parsed.matchLabels ?? {}).length === 0 &&
    (parsed.matchExpressions ?? []).length === 0
  );
}
