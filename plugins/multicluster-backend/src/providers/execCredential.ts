/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  ClusterCredentials,
  KubeconfigExec,
} from '@archipelago/multicluster-node';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { redactText } from '../util/redact';

/** The `user.exec` stanza of a kubeconfig. */
export type ExecConfig = KubeconfigExec;

/** What an exec plugin prints on stdout. */
export const execCredentialSchema = z.object({
  apiVersion: z.string().regex(/^client\.authentication\.k8s\.io\//, {
    message: 'must be client.authentication.k8s.io/*',
  }),
  kind: z.literal('ExecCredential'),
  status: z
    .object({
      token: z.string().min(1).optional(),
      clientCertificateData: z.string().min(1).optional(),
      clientKeyData: z.string().min(1).optional(),
      expirationTimestamp: z.string().datetime({ offset: true }).optional(),
    })
    .refine(s => s.token || (s.clientCertificateData && s.clientKeyData), {
      message:
        'status needs a token, or clientCertificateData and clientKeyData',
    }),
});

/** Parses an ExecCredential; errors name the field, never echo the values. */
export function parseExecCredential(stdout: string): {
  credentials: ClusterCredentials;
  expiresAt?: Date;
} {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(
      'exec plugin output is not JSON (expected an ExecCredential)',
    );
  }
  const parsed = execCredentialSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(i => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(
      `exec plugin output is not a valid ExecCredential: ${issues}`,
    );
  }
  const status = parsed.data.status;
  const expiresAt = status.expirationTimestamp
    ? new Date(status.expirationTimestamp)
    : undefined;
  const credentials: ClusterCredentials = status.token
    ? {
        type: 'bearer',
        token: status.token,
        ...(expiresAt ? { expiresAt } : {}),
      }
    : {
        type: 'clientCertificate',
        certData: status.clientCertificateData!,
        keyData: status.clientKeyData!,
      };
  return { credentials, expiresAt };
}

/** Credentials without an expiry are re-run after this long (kubectl would keep them forever). */
export const EXEC_DEFAULT_TTL_MS = 10 * 60 * 1000;

/**
 * When cached credentials must be renewed: a margin before expiry (a minute,
 * or half the lifetime for short-lived ones), else the default TTL.
 */
export function renewAt(
  obtainedAt: number,
  expiresAt: Date | undefined,
): number {
  if (!expiresAt) return obtainedAt + EXEC_DEFAULT_TTL_MS;
  const lifetime = expiresAt.getTime() - obtainedAt;
  const margin = Math.min(60_000, Math.max(0, lifetime / 2));
  return expiresAt.getTime() - margin;
}

export interface ExecRunOptions {
  timeoutMs: number;
  /** The kubeconfig's directory: relative commands resolve against it, as kubectl does. */
  baseDir: string;
  cluster?: {
    server: string;
    caData?: string;
    insecureSkipTlsVerify?: boolean;
  };
  /** Injected in tests. */
  now?: () => number;
}

/**
 * Runs a client-go exec credential plugin (aws eks get-token, kubelogin,
 * gke-gcloud-auth-plugin…) non-interactively with a timeout, and caches its
 * answer until shortly before `expirationTimestamp`. Concurrent callers share
 * one run.
 */
export class ExecCredentialPlugin {
  private cached?: { credentials: ClusterCredentials; renewAt: number };
  private running?: Promise<ClusterCredentials>;

  constructor(
    private readonly exec: ExecConfig,
    private readonly options: ExecRunOptions,
  ) {}

  async getCredentials(): Promise<ClusterCredentials> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now < this.cached.renewAt)
      return this.cached.credentials;
    if (!this.running) {
      this.running = this.run()
        .then(({ credentials, expiresAt }) => {
          const at = (this.options.now ?? Date.now)();
          this.cached = { credentials, renewAt: renewAt(at, expiresAt) };
          return credentials;
        })
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running;
  }

  private run(): Promise<{
    credentials: ClusterCredentials;
    expiresAt?: Date;
  }> {
    const exec = this.exec;
    if (exec.interactiveMode === 'Always') {
      return Promise.reject(
        new Error(
          `exec plugin ${exec.command} requires interactiveMode Always; a backend cannot prompt`,
        ),
      );
    }
    const command =
      exec.command.includes('/') && !path.isAbsolute(exec.command)
        ? path.resolve(this.options.baseDir, exec.command)
        : exec.command;
    const info: Record<string, unknown> = {
      apiVersion: exec.apiVersion,
      kind: 'ExecCredential',
      spec: { interactive: false },
    };
    if (exec.provideClusterInfo && this.options.cluster) {
      (info.spec as Record<string, unknown>).cluster = {
        server: this.options.cluster.server,
        'certificate-authority-data': this.options.cluster.caData,
        'insecure-skip-tls-verify': this.options.cluster.insecureSkipTlsVerify,
      };
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBERNETES_EXEC_INFO: JSON.stringify(info),
    };
    for (const e of exec.env ?? []) env[e.name] = e.value;

    return new Promise((resolve, reject) => {
      execFile(
        command,
        exec.args ?? [],
        {
          env,
          cwd: this.options.baseDir,
          timeout: this.options.timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 1024 * 1024,
          windowsHide: true,
        },
        (error, stdout, stderr) => {
          if (error) {
            const e = error as NodeJS.ErrnoException & {
              killed?: boolean;
              signal?: string;
            };
            if (e.code === 'ENOENT') {
              const hint = exec.installHint
                ? ` (${exec.installHint.split('\n')[0].slice(0, 200)})`
                : '';
              reject(
                new Error(
                  `exec plugin command not found: ${exec.command}${hint}`,
                ),
              );
              return;
            }
            if (e.killed || e.signal === 'SIGKILL') {
              reject(
                new Error(
                  `exec plugin ${exec.command} timed out after ${this.options.timeoutMs} ms`,
                ),
              );
              return;
            }
            // stderr of cloud CLIs is useful ("Unable to locate credentials") but is scrubbed.
            const line = redactText(
              String(stderr).trim().split('\n')[0] ?? '',
            ).slice(0, 200);
            reject(
              new Error(
                `exec plugin ${exec.command} exited with code ${
                  e.code ?? 'unknown'
                }${line ? `: ${line}` : ''}`,
              ),
            );
            return;
          }
          try {
            resolve(parseExecCredential(String(stdout)));
          } catch (parseError) {
            reject(parseError);
          }
        },
      );
    });
  }
}
