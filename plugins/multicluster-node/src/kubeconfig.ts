/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import os from 'node:os';
import path from 'node:path';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { z } from 'zod';

// Kubeconfig reading shared by the kubeconfig cluster provider (core) and the
// kubeconfig-cluster driver (local module).

const nullable = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(v => (v === null ? undefined : v), schema.optional());
const list = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess(v => (v === null || v === undefined ? [] : v), z.array(schema));

/**
 * The `user.exec` stanza of a kubeconfig (a credential plugin).
 * @public
 */
export const kubeconfigExecSchema = z
  .object({
    apiVersion: z
      .string()
      .regex(/^client\.authentication\.k8s\.io\/(v1|v1beta1)$/, {
        message:
          'must be client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1',
      }),
    command: z.string().min(1),
    args: nullable(z.array(z.string())),
    env: nullable(
      z.array(z.object({ name: z.string().min(1), value: z.string() })),
    ),
    installHint: nullable(z.string()),
    provideClusterInfo: nullable(z.boolean()),
    interactiveMode: nullable(z.enum(['Never', 'IfAvailable', 'Always'])),
  })
  .passthrough();

/** A kubeconfig's `user.exec` stanza, validated. @public */
export type KubeconfigExec = z.output<typeof kubeconfigExecSchema>;

/**
 * The parts of a kubeconfig (clientcmd v1 Config) Archipelago reads; the rest passes through.
 * @public
 */
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
              exec: nullable(kubeconfigExecSchema),
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

/** A parsed kubeconfig, validated. @public */
export type Kubeconfig = z.output<typeof kubeconfigSchema>;
/** A kubeconfig's `user` stanza. @public */
export type KubeconfigUser = Kubeconfig['users'][number]['user'];

/**
 * Parses kubeconfig YAML. Errors name the file and the field path
 * (`users[0].user.exec.command: Required`) and never echo values, since
 * kubeconfigs hold tokens and keys.
 * @public
 */
export function parseKubeconfig(text: string, file: string): Kubeconfig {
  let doc: unknown;
  try {
    // The core schema: plain data only (no custom tags), like kubectl's decoder. js-yaml,
    // as @kubernetes/client-node reads kubeconfigs: at 10,000 contexts (12 MB) it takes
    // 0.4 s and little memory, where the `yaml` package's document model took 8.5 s of
    // blocked event loop and hundreds of MB of heap.
    doc = load(text, { schema: CORE_SCHEMA, filename: path.basename(file) });
  } catch (error) {
    const line =
      error instanceof YAMLException && error.mark
        ? error.mark.line + 1
        : undefined;
    throw new Error(
      `kubeconfig ${file} is not valid YAML${line ? ` (line ${line})` : ''}`,
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

/**
 * Expands a leading `~` to the home directory, as shells and kubectl do.
 * @public
 */
export function expandHome(file: string): string {
  if (file === '~') return os.homedir();
  if (file.startsWith('~/')) return path.join(os.homedir(), file.slice(2));
  return file;
}

/**
 * The kubeconfig kubectl would use: the first entry of `$KUBECONFIG`, else
 * `~/.kube/config`.
 * @public
 */
export function defaultKubeconfigPath(): string {
  const env = process.env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return env ?? path.join(os.homedir(), '.kube', 'config');
}
