/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import yaml from 'js-yaml';
import { z } from 'zod';
import { execConfigSchema } from './execCredential';

const nullable = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(v => (v === null ? undefined : v), schema.optional());
const list = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(v => (v === null || v === undefined ? [] : v), z.array(schema));

/** The parts of a kubeconfig (clientcmd v1 Config) this plugin reads; the rest passes through. */
export const kubeconfigSchema = z
  .object({
    apiVersion: nullable(z.string()),
    kind: nullable(z.literal('Config')),
    clusters: list(
      z.object({
        name: z.string().min(1),
        cluster: z
          .object({
            server: z.string().url(),
            'certificate-authority-data': nullable(z.string()),
            'certificate-authority': nullable(z.string()),
            'insecure-skip-tls-verify': nullable(z.boolean()),
            'tls-server-name': nullable(z.string()),
          })
          .passthrough(),
      }),
    ),
    users: list(
      z.object({
        name: z.string().min(1),
        user: z.preprocess(
          v => (v === null || v === undefined ? {} : v),
          z
            .object({
              token: nullable(z.string()),
              tokenFile: nullable(z.string()),
              'client-certificate-data': nullable(z.string()),
              'client-key-data': nullable(z.string()),
              'client-certificate': nullable(z.string()),
              'client-key': nullable(z.string()),
              exec: nullable(execConfigSchema),
              'auth-provider': nullable(
                z.object({ name: z.string() }).passthrough(),
              ),
              username: nullable(z.string()),
              password: nullable(z.string()),
            })
            .passthrough(),
        ),
      }),
    ),
    contexts: list(
      z.object({
        name: z.string().min(1),
        context: z
          .object({
            cluster: z.string().min(1),
            user: nullable(z.string()),
            namespace: nullable(z.string()),
          })
          .passthrough(),
      }),
    ),
    'current-context': nullable(z.string()),
  })
  .passthrough();

export type Kubeconfig = z.output<typeof kubeconfigSchema>;
export type KubeconfigUser = Kubeconfig['users'][number]['user'];

/**
 * Parses kubeconfig YAML. Errors name the file and the field path
 * (`users[0].user.exec.command: Required`) and never echo values, since
 * kubeconfigs hold tokens and keys.
 */
export function parseKubeconfig(text: string, file: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    throw new Error(
      `kubeconfig ${file} is not valid YAML${
        mark ? ` (line ${mark.line + 1})` : ''
      }`,
    );
  }
  const parsed = kubeconfigSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map(
        i =>
          `${
            i.path
              .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
              .join('')
              .replace(/^\./, '') || '(root)'
          }: ${i.message}`,
      )
      .join('; ');
    throw new Error(`kubeconfig ${file} is invalid: ${issues}`);
  }
  return parsed.data;
}
