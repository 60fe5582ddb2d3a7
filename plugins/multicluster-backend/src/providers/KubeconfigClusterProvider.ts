/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type ClusterCredentials,
  type ClusterCredentialsResolver,
  type ClusterDiscoveryResult,
  type ClusterProvider,
  type ClusterRole,
  type DiscoveredCluster,
  defaultKubeconfigPath,
  expandHome,
  type Kubeconfig,
  type KubeconfigUser,
  parseKubeconfig,
  warnSharedCredentials,
} from '@archipelago/multicluster-node';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeconfigSourceConfig } from '../config';
import { ExecCredentialPlugin } from './execCredential';
import { globToRegExp } from './files';

const TOKEN_FILE_TTL_MS = 60_000;

type Named<T> = Map<string, T>;
const indexes = new WeakMap<
  Kubeconfig,
  {
    contexts: Named<Kubeconfig['contexts'][number]>;
    clusters: Named<Kubeconfig['clusters'][number]>;
    users: Named<Kubeconfig['users'][number]>;
  }
>();

/** First entry of each name, as `find` would answer (a kubeconfig of 10,000 contexts: no O(n²)). */
function firstByName<T extends { name: string }>(items: T[]): Named<T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(item.name)) map.set(item.name, item);
  return map;
}

/** The kubeconfig's contexts, clusters and users by name, built once per parsed file. */
function byName(kubeconfig: Kubeconfig) {
  let index = indexes.get(kubeconfig);
  if (!index) {
    index = {
      contexts: firstByName(kubeconfig.contexts),
      clusters: firstByName(kubeconfig.clusters),
      users: firstByName(kubeconfig.users),
    };
    indexes.set(kubeconfig, index);
  }
  return index;
}

/**
 * What a cached resolver was built from, as a hash: the JSON itself would keep every
 * user's key or token (and CA) in memory a second time, per cluster, for as long as the
 * provider lives.
 */
function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function decodeBase64(data: string): string {
  return Buffer.from(data, 'base64').toString('utf8');
}

/**
 * Builds the credential resolver for a kubeconfig user: static token, token
 * file (re-read every minute, for projected service-account tokens), client
 * certificate (inline or file) or an exec plugin. Unsupported methods resolve
 * to an error that says what to use instead, which the cluster's status shows.
 */
export function credentialsForUser(
  user: KubeconfigUser | undefined,
  userName: string | undefined,
  options: {
    baseDir: string;
    execTimeoutMs: number;
    cluster: {
      server: string;
      caData?: string;
      insecureSkipTlsVerify?: boolean;
    };
  },
): ClusterCredentialsResolver {
  if (!user) return async () => ({ type: 'anonymous' });
  const resolveFile = (f: string) =>
    path.resolve(options.baseDir, expandHome(f));
  if (user.exec) {
    const plugin = new ExecCredentialPlugin(user.exec, {
      timeoutMs: options.execTimeoutMs,
      baseDir: options.baseDir,
      cluster: options.cluster,
    });
    return () => plugin.getCredentials();
  }
  if (user.token) {
    const token = user.token;
    return async () => ({ type: 'bearer', token });
  }
  if (user.tokenFile) {
    const file = resolveFile(user.tokenFile);
    let cached: { token: string; at: number } | undefined;
    return async () => {
      if (!cached || Date.now() - cached.at > TOKEN_FILE_TTL_MS) {
        const token = (await readFile(file, 'utf8')).trim();
        if (!token)
          throw new Error(`tokenFile of kubeconfig user ${userName} is empty`);
        cached = { token, at: Date.now() };
      }
      return { type: 'bearer', token: cached.token };
    };
  }
  const hasCert = user['client-certificate-data'] || user['client-certificate'];
  const hasKey = user['client-key-data'] || user['client-key'];
  if (hasCert && hasKey) {
    return async (): Promise<ClusterCredentials> => {
      const certData = user['client-certificate-data']
        ? decodeBase64(user['client-certificate-data'])
        : await readFile(resolveFile(user['client-certificate']!), 'utf8');
      const keyData = user['client-key-data']
        ? decodeBase64(user['client-key-data'])
        : await readFile(resolveFile(user['client-key']!), 'utf8');
      return { type: 'clientCertificate', certData, keyData };
    };
  }
  if (hasCert || hasKey) {
    return async () => {
      throw new Error(
        `kubeconfig user ${userName} has a client certificate or key but not both`,
      );
    };
  }
  if (user['auth-provider']) {
    const name = user['auth-provider'].name;
    return async () => {
      throw new Error(
        `kubeconfig user ${userName} uses the removed auth-provider "${name}"; use an exec plugin (kubelogin, gke-gcloud-auth-plugin)`,
      );
    };
  }
  if (user.username || user.password) {
    return async () => {
      throw new Error(
        `kubeconfig user ${userName} uses basic auth, which Kubernetes no longer supports`,
      );
    };
  }
  return async () => ({ type: 'anonymous' });
}

/** A resolver that fails with `message`: a role whose identity is misconfigured never borrows another's. */
const failing =
  (message: string): ClusterCredentialsResolver =>
  async () => {
    throw new Error(message);
  };

/**
 * Clusters from kubeconfig files, one per matching context. The source id is
 * `file#context`; each file is a scope, so an unreadable file keeps its
 * clusters (stale) while the others update. With `roleContexts`, each role
 * (probe, view, deploy) uses the user of its own context
 * (`{context}-view`…), which must point at the same server; those contexts
 * are identities, not clusters.
 */
export class KubeconfigClusterProvider implements ClusterProvider {
  private readonly sources: Array<
    KubeconfigSourceConfig & { resolvedFile: string }
  >;
  // Resolvers are kept across rounds so exec-plugin caches survive rediscovery.
  private readonly resolvers = new Map<
    string,
    { fingerprint: string; resolver: ClusterCredentialsResolver }
  >();
  /**
   * The last clusters read from each file, by a hash of its text: discovery runs every few
   * minutes and a kubeconfig rarely changes, while reading one of 10,000 contexts (parse,
   * validation, a resolver each) allocates hundreds of MB of short-lived objects.
   */
  private readonly lastRead = new Map<
    string,
    { hash: string; clusters: DiscoveredCluster[] }
  >();

  constructor(
    sources: KubeconfigSourceConfig[],
    private readonly logger: LoggerService,
  ) {
    this.sources = sources.map(s => ({
      ...s,
      resolvedFile: path.resolve(expandHome(s.file ?? defaultKubeconfigPath())),
    }));
    const shared = this.sources.filter(
      s => Object.keys(s.roleContexts ?? {}).length < 2,
    );
    warnSharedCredentials(logger, {
      configKey: 'multicluster.providers.kubeconfig',
      subjects: shared.map(s => s.resolvedFile),
      hint: "Give each role its own context: roleContexts: { probe: '{context}-probe', view: '{context}-view', deploy: '{context}-deploy' }.",
    });
  }

  getProviderId(): string {
    return 'kubeconfig';
  }

  getScope(sourceId: string): string | undefined {
    const i = sourceId.lastIndexOf('#');
    return i > 0 ? sourceId.slice(0, i) : undefined;
  }

  async discover(): Promise<ClusterDiscoveryResult> {
    const clusters: DiscoveredCluster[] = [];
    const failedScopes: Array<{ scope: string; error: string }> = [];
    for (const source of this.sources) {
      const file = source.resolvedFile;
      try {
        clusters.push(...(await this.readSource(source)));
      } catch (error) {
        const message = (error as Error).message;
        this.logger.warn(`kubeconfig provider: ${message}`);
        failedScopes.push({ scope: file, error: message });
      }
    }
    if (
      this.sources.length > 0 &&
      failedScopes.length === this.sources.length
    ) {
      throw new Error(failedScopes.map(f => f.error).join('; '));
    }
    return { clusters, complete: true, failedScopes };
  }

  private async readSource(
    source: KubeconfigSourceConfig & { resolvedFile: string },
  ): Promise<DiscoveredCluster[]> {
    const file = source.resolvedFile;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read kubeconfig ${file}: ${
          (error as NodeJS.ErrnoException).code ?? 'error'
        }`,
      );
    }
    const hash = createHash('sha256').update(text).digest('hex');
    const last = this.lastRead.get(file);
    if (last?.hash === hash) return last.clusters.map(c => ({ ...c }));
    this.lastRead.delete(file);
    // A CA read from its own file may change while the kubeconfig does not: read again then.
    let reusable = true;
    const kubeconfig = parseKubeconfig(text, file);
    const baseDir = path.dirname(file);
    const patterns = (source.contexts ?? ['*']).map(globToRegExp);
    const roleTemplates = Object.entries(source.roleContexts ?? {}) as Array<
      [ClusterRole, string]
    >;
    const matched = kubeconfig.contexts.filter(ctx =>
      patterns.some(p => p.test(ctx.name)),
    );
    // A role's context is an identity of another cluster, not a cluster.
    const roleContextNames = new Set(
      matched.flatMap(ctx =>
        roleTemplates.map(([, t]) => t.replace(/\{context\}/g, ctx.name)),
      ),
    );
    const out: DiscoveredCluster[] = [];
    for (const ctx of matched) {
      if (roleContextNames.has(ctx.name)) continue;
      const cluster = byName(kubeconfig).clusters.get(ctx.context.cluster);
      if (!cluster) {
        this.logger.warn(
          `kubeconfig ${file}: context ${ctx.name} names unknown cluster ${ctx.context.cluster}; skipped`,
        );
        continue;
      }
      const userName = ctx.context.user;
      const user = userName
        ? byName(kubeconfig).users.get(userName)?.user
        : undefined;
      if (userName && !user) {
        this.logger.warn(
          `kubeconfig ${file}: context ${ctx.name} names unknown user ${userName}; probing anonymously`,
        );
      }
      let caData: string | undefined;
      if (cluster.cluster['certificate-authority-data']) {
        caData = decodeBase64(cluster.cluster['certificate-authority-data']);
      } else if (cluster.cluster['certificate-authority']) {
        reusable = false;
        const caFile = path.resolve(
          baseDir,
          expandHome(cluster.cluster['certificate-authority']),
        );
        try {
          caData = await readFile(caFile, 'utf8');
        } catch (error) {
          this.logger.warn(
            `kubeconfig ${file}: context ${
              ctx.name
            }: cannot read CA ${caFile} (${
              (error as NodeJS.ErrnoException).code
            }); skipped`,
          );
          continue;
        }
      }
      const sourceId = `${file}#${ctx.name}`;
      const server = cluster.cluster.server;
      const skipTLSVerify =
        cluster.cluster['insecure-skip-tls-verify'] === true;
      // Rebuild the resolver only when the user or cluster stanza changed.
      const fingerprint = fingerprintOf([user, server, caData, skipTLSVerify]);
      let entry = this.resolvers.get(sourceId);
      if (!entry || entry.fingerprint !== fingerprint) {
        entry = {
          fingerprint,
          resolver: credentialsForUser(user, userName, {
            baseDir,
            execTimeoutMs: source.execTimeoutSeconds * 1000,
            cluster: {
              server,
              caData: cluster.cluster['certificate-authority-data'],
              insecureSkipTlsVerify: skipTLSVerify,
            },
          }),
        };
        this.resolvers.set(sourceId, entry);
      }
      const roleCredentials: Partial<
        Record<ClusterRole, ClusterCredentialsResolver>
      > = {};
      for (const [role, template] of roleTemplates) {
        roleCredentials[role] = this.roleResolver(kubeconfig, {
          file,
          baseDir,
          role,
          contextName: template.replace(/\{context\}/g, ctx.name),
          server,
          sourceId,
          execTimeoutMs: source.execTimeoutSeconds * 1000,
        });
      }
      out.push({
        sourceId,
        name: ctx.name,
        url: server,
        caData,
        skipTLSVerify,
        credentials: entry.resolver,
        roleCredentials,
        cloud: source.cloud ?? guessCloud(server),
        region: source.region,
        labels: { ...source.labels },
      });
    }
    if (reusable) this.lastRead.set(file, { hash, clusters: out });
    return out.map(c => ({ ...c }));
  }

  /** The resolver of one role's context, kept across rounds like the cluster's own. */
  private roleResolver(
    kubeconfig: Kubeconfig,
    options: {
      file: string;
      baseDir: string;
      role: ClusterRole;
      contextName: string;
      server: string;
      sourceId: string;
      execTimeoutMs: number;
    },
  ): ClusterCredentialsResolver {
    const { file, role, contextName } = options;
    const ctx = byName(kubeconfig).contexts.get(contextName);
    if (!ctx) {
      return failing(
        `kubeconfig ${file} has no context ${contextName} for the ${role} role`,
      );
    }
    const cluster = byName(kubeconfig).clusters.get(ctx.context.cluster);
    if (!cluster || cluster.cluster.server !== options.server) {
      return failing(
        `kubeconfig ${file}: context ${contextName} (${role} role) points at another server than the cluster`,
      );
    }
    const userName = ctx.context.user;
    const user = userName
      ? byName(kubeconfig).users.get(userName)?.user
      : undefined;
    if (userName && !user) {
      return failing(
        `kubeconfig ${file}: context ${contextName} (${role} role) names unknown user ${userName}`,
      );
    }
    const key = `${options.sourceId}#${role}`;
    const fingerprint = fingerprintOf([user, options.server]);
    let entry = this.resolvers.get(key);
    if (!entry || entry.fingerprint !== fingerprint) {
      entry = {
        fingerprint,
        resolver: credentialsForUser(user, userName, {
          baseDir: options.baseDir,
          execTimeoutMs: options.execTimeoutMs,
          cluster: {
            server: options.server,
            caData: cluster.cluster['certificate-authority-data'],
            insecureSkipTlsVerify:
              cluster.cluster['insecure-skip-tls-verify'] === true,
          },
        }),
      };
      this.resolvers.set(key, entry);
    }
    return entry.resolver;
  }
}

/** Managed API server hostnames say where they run; everything else is local. */
export function guessCloud(server: string): DiscoveredCluster['cloud'] {
  let host = '';
  try {
    host = new URL(server).hostname;
  } catch {
    return 'other';
  }
  if (host.endsWith('.eks.amazonaws.com')) return 'aws';
  if (host.endsWith('.azmk8s.io')) return 'azure';
  if (
    /^\d+\.\d+\.\d+\.\d+$/.test(host) &&
    !host.startsWith('127.') &&
    !host.startsWith('10.') &&
    !host.startsWith('192.168.')
  ) {
    return 'other';
  }
  if (
    host === 'localhost' ||
    host.startsWith('127.') ||
    host.endsWith('.local') ||
    host === 'host.docker.internal'
  ) {
    return 'local';
  }
  return 'other';
}
