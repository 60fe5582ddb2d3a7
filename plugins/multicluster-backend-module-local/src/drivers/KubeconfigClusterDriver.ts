/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type ClusterCredentials,
  type ComponentClusterAccess,
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriver,
  type ComponentStatus,
  defaultKubeconfigPath,
  type ExistingComponentContext,
  expandHome,
  type Kubeconfig,
  parseDriverInputs,
  parseKubeconfig,
} from '@archipelago/multicluster-node';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { z } from 'zod';

const inputsSchema = z
  .object({
    /** Context name in the kubeconfig, e.g. `minikube` or `kind-dev`. */
    context: z
      .string({
        required_error:
          'is required: a context name such as minikube or kind-dev',
      })
      .min(1),
    /** Kubeconfig file; default $KUBECONFIG (first entry) or ~/.kube/config. */
    kubeconfig: z.string().min(1).optional(),
    /** Timeout of the /version call, seconds. */
    timeoutSeconds: z.number().min(1).max(120).default(10),
  })
  .strict();

interface Resolved {
  file: string;
  server: string;
  caData?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  credentials: ClusterCredentials;
}

const b64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

async function resolveContext(
  contextName: string,
  file: string,
): Promise<Resolved> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new Error(`kubeconfig ${file} cannot be read`);
  });
  const config: Kubeconfig = parseKubeconfig(text, file);
  const context = config.contexts.find(c => c.name === contextName);
  if (!context) {
    throw new Error(
      `context: no context "${contextName}" in ${file}; it has ${
        config.contexts.map(c => c.name).join(', ') || 'none'
      }`,
    );
  }
  const cluster = config.clusters.find(c => c.name === context.context.cluster);
  if (!cluster)
    throw new Error(
      `context ${contextName} names cluster ${context.context.cluster}, which ${file} lacks`,
    );
  const user =
    config.users.find(u => u.name === context.context.user)?.user ?? {};
  const dir = path.dirname(file);
  const fileIn = (f: string) => path.resolve(dir, expandHome(f));
  let credentials: ClusterCredentials = { type: 'anonymous' };
  if (user.token) credentials = { type: 'bearer', token: user.token };
  else if (user.tokenFile)
    credentials = {
      type: 'bearer',
      token: (await readFile(fileIn(user.tokenFile), 'utf8')).trim(),
    };
  else if (user['client-certificate-data'] && user['client-key-data']) {
    credentials = {
      type: 'clientCertificate',
      certData: b64(user['client-certificate-data']),
      keyData: b64(user['client-key-data']),
    };
  } else if (user['client-certificate'] && user['client-key']) {
    credentials = {
      type: 'clientCertificate',
      certData: await readFile(fileIn(user['client-certificate']), 'utf8'),
      keyData: await readFile(fileIn(user['client-key']), 'utf8'),
    };
  } else if (user.exec || user['auth-provider']) {
    throw new Error(
      `context ${contextName} authenticates with an exec or auth-provider plugin, which kubeconfig-cluster does not run; ` +
        'use a token or client certificate, or list the context through multicluster.providers.kubeconfig',
    );
  }
  const c = cluster.cluster;
  let caData: string | undefined;
  if (c['certificate-authority-data'])
    caData = b64(c['certificate-authority-data']);
  else if (c['certificate-authority'])
    caData = await readFile(fileIn(c['certificate-authority']), 'utf8');
  return {
    file,
    server: c.server.replace(/\/+$/, ''),
    caData,
    skipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: c['tls-server-name'],
    credentials,
  };
}

/** GET /version with the context's credentials; resolves with gitVersion. */
function fetchVersion(
  r: Resolved,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL('/version', r.server);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (r.credentials.type === 'bearer')
      headers.Authorization = `Bearer ${r.credentials.token}`;
    const req = https.request(
      url,
      {
        method: 'GET',
        headers,
        ca: r.caData,
        rejectUnauthorized: !r.skipTLSVerify,
        servername: r.tlsServerName,
        ...(r.credentials.type === 'clientCertificate'
          ? { cert: r.credentials.certData, key: r.credentials.keyData }
          : {}),
        timeout: timeoutMs,
        signal,
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          if (body.length < 65536) body += chunk;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(
              new Error(
                `GET ${url.origin}/version answered HTTP ${res.statusCode}`,
              ),
            );
            return;
          }
          try {
            const v = JSON.parse(body).gitVersion;
            if (typeof v !== 'string' || !v) throw new Error('no gitVersion');
            resolve(v);
          } catch {
            reject(
              new Error(
                `GET ${url.origin}/version did not answer a Kubernetes version`,
              ),
            );
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`GET ${url.origin}/version timed out`)),
    );
    req.on('error', error =>
      reject(new Error(`cannot reach ${url.origin}: ${error.message}`)),
    );
    req.end();
  });
}

/**
 * `kubeconfig-cluster`: an existing cluster from a kubeconfig context, such as
 * minikube or kind. Nothing is created or deleted: create checks that the
 * context exists and its API server answers /version, and delete leaves the
 * cluster alone, since the environment never owned it.
 * @public
 */
export class KubeconfigClusterDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'kubeconfig-cluster';
  /** The component kind it builds. */
  readonly kind = 'kubernetes' as const;
  /** The cloud it targets. */
  readonly cloud = 'local';
  /** A human line for plans and the UI. */
  readonly description =
    'An existing cluster from a kubeconfig context (minikube, kind, …)';

  /** Throws, naming the input and what is allowed, when inputs are invalid. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  private resolve(
    inputs: Record<string, unknown>,
    state?: Record<string, unknown>,
  ) {
    const parsed = parseDriverInputs(this.id, inputsSchema, inputs);
    const file =
      typeof state?.file === 'string'
        ? state.file
        : path.resolve(
            expandHome(parsed.kubeconfig ?? defaultKubeconfigPath()),
          );
    return { parsed, file };
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const { parsed, file } = this.resolve(ctx.inputs);
    const resolved = await resolveContext(parsed.context, file);
    if (!resolved.server.startsWith('https://')) {
      throw new Error(
        `context ${parsed.context} serves at ${
          new URL(resolved.server).origin
        }; the kubernetes contract needs https`,
      );
    }
    const version = await fetchVersion(
      resolved,
      parsed.timeoutSeconds * 1000,
      ctx.signal,
    );
    return {
      capabilities: {
        endpoint: resolved.server,
        cluster_id: parsed.context,
        version,
      },
      state: { file, context: parsed.context, server: resolved.server },
    };
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(): Promise<void> {
    // The cluster existed before the environment and outlives it.
  }

  /** The component's current state. */
  async status(
    ctx: ComponentContext & { state?: Record<string, unknown> },
  ): Promise<ComponentStatus> {
    const { parsed, file } = this.resolve(ctx.inputs, ctx.state);
    try {
      const resolved = await resolveContext(parsed.context, file);
      await fetchVersion(resolved, parsed.timeoutSeconds * 1000, ctx.signal);
      return { state: 'active' };
    } catch (error) {
      return { state: 'unknown', message: (error as Error).message };
    }
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const { parsed, file } = this.resolve(ctx.inputs, ctx.state);
    try {
      const resolved = await resolveContext(parsed.context, file);
      if (resolved.server !== ctx.capabilities.endpoint) {
        return `context ${parsed.context} now points at another API server`;
      }
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** How the inventory reaches the cluster. */
  async clusterAccess(
    ctx: ExistingComponentContext,
  ): Promise<ComponentClusterAccess> {
    const { parsed, file } = this.resolve(ctx.inputs, ctx.state);
    const resolved = await resolveContext(parsed.context, file);
    return {
      url: resolved.server,
      caData: resolved.caData,
      skipTLSVerify: resolved.skipTLSVerify,
      // Read again at each use, so a rotated token in the file is picked up.
      credentials: async () =>
        (await resolveContext(parsed.context, file)).credentials,
      region: 'local',
    };
  }
}
