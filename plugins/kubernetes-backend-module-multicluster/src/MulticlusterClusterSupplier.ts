/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { MulticlusterService } from '@archipelago/multicluster-node';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import type {
  Cluster,
  ClusterHealth,
  ConnectionDetails,
} from '@archipelago/multicluster-common';

/** Options of the supplier, from `kubernetes.multicluster`. @public */
export interface MulticlusterSupplierOptions {
  /** Leave out clusters the inventory knows are unreachable. */
  skipUnhealthy: boolean;
  /** How long the cluster list is cached, milliseconds. */
  refreshIntervalMs: number;
  /** Distributions whose clusters skip the metrics lookup (e.g. `emulator`). */
  skipMetricsLookupFor: string[];
  /** Label selector of the clusters handed to the Kubernetes plugin. */
  selector?: string;
}

const PAGE_LIMIT = 500;
const EMPTY_RETRY_MS = 5_000;
const MAX_PAGES = 40;
const IDS_PER_CALL = 100;
/** How long what one caller may see is reused: a page load's burst of requests asks once. */
const VISIBLE_TTL_MS = 5_000;
/** Callers whose view is cached at once. */
const VISIBLE_CACHE_SIZE = 1_000;
/** Clusters one entity may hand over (its selector may match many). */
const MAX_CLUSTERS_BY_ID = 500;
/** Connections of entities' clusters kept at once. */
const CONNECTIONS_CACHE_SIZE = 10_000;
const AUTH_PROVIDER_ANNOTATION = 'kubernetes.io/auth-provider';

function normaliseUrl(url: string): string {
  try {
    const u = new URL(url);
    const port =
      u.port && u.port !== (u.protocol === 'https:' ? '443' : '80')
        ? `:${u.port}`
        : '';
    return `${
      u.protocol
    }//${u.hostname.toLowerCase()}${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

/**
 * Builds the Kubernetes plugin's cluster list from inventory clusters and their
 * connection details. Pure, so the rules are table-tested: unreachable
 * clusters are skipped (when asked), clusters that cannot be handed over are
 * skipped, clusters the default supplier already has (same URL) keep the
 * operator's explicit config, and a duplicate name gets the cluster id instead.
 * @public
 */
export function toClusterDetails(
  clusters: Cluster[],
  connections: Map<string, ConnectionDetails>,
  defaults: ClusterDetails[],
  options: Pick<
    MulticlusterSupplierOptions,
    'skipUnhealthy' | 'skipMetricsLookupFor'
  >,
): {
  clusters: ClusterDetails[];
  /** The inventory id of each supplied cluster, by its name in the Kubernetes plugin. */
  ids: Map<string, string>;
  skipped: Array<{ id: string; reason: string }>;
} {
  const takenUrls = new Set(defaults.map(d => normaliseUrl(d.url)));
  const takenNames = new Set(defaults.map(d => d.name));
  const out: ClusterDetails[] = [];
  const ids = new Map<string, string>();
  const skipped: Array<{ id: string; reason: string }> = [];
  const nameCounts = new Map<string, number>();
  for (const c of clusters)
    nameCounts.set(c.name, (nameCounts.get(c.name) ?? 0) + 1);

  for (const cluster of clusters) {
    if (options.skipUnhealthy && cluster.status.health === 'unreachable') {
      skipped.push({
        id: cluster.id,
        reason: `unreachable: ${cluster.status.reason}`,
      });
      continue;
    }
    if (takenUrls.has(normaliseUrl(cluster.url))) {
      skipped.push({
        id: cluster.id,
        reason: 'already supplied by kubernetes.clusterLocatorMethods',
      });
      continue;
    }
    const conn = connections.get(cluster.id);
    if (!conn) {
      skipped.push({ id: cluster.id, reason: 'no connection details' });
      continue;
    }
    if (conn.unsupported) {
      skipped.push({ id: cluster.id, reason: conn.unsupported });
      continue;
    }
    if (conn.authProvider === 'serviceAccount' && !conn.serviceAccountToken) {
      // Without a token the plugin's serviceAccount strategy would use its own pod's token.
      skipped.push({
        id: cluster.id,
        reason: 'no credentials for the Kubernetes plugin',
      });
      continue;
    }
    const duplicate =
      (nameCounts.get(cluster.name) ?? 0) > 1 || takenNames.has(cluster.name);
    const name = duplicate ? cluster.id : cluster.name;
    takenNames.add(name);
    ids.set(name, cluster.id);
    const authMetadata: Record<string, string> = {
      ...(conn.authMetadata ?? {}),
      [AUTH_PROVIDER_ANNOTATION]: conn.authProvider,
      ...(conn.serviceAccountToken
        ? { serviceAccountToken: conn.serviceAccountToken }
        : {}),
    };
    out.push({
      name,
      title: cluster.title,
      url: conn.url,
      authMetadata,
      skipTLSVerify: conn.skipTLSVerify,
      ...(conn.caData ? { caData: conn.caData } : {}),
      skipMetricsLookup: options.skipMetricsLookupFor.includes(
        cluster.distribution,
      ),
    });
  }
  return { clusters: out, ids, skipped };
}

/** The inventory clusters as the Kubernetes plugin gets them, with their inventory ids. */
interface SuppliedClusters {
  clusters: ClusterDetails[];
  ids: Map<string, string>;
  /** Each supplied cluster's health when the list was read, by inventory id. */
  health: Map<string, ClusterHealth>;
}

/**
 * A cluster one caller may be handed: its details for the Kubernetes plugin,
 * and, for inventory clusters, its inventory id and last known health.
 * Default-supplier clusters (`kubernetes.clusterLocatorMethods`) have neither.
 * @public
 */
export interface VisibleCluster {
  /** What the Kubernetes plugin gets for this cluster. */
  details: ClusterDetails;
  /** The inventory's id (absent for clusters of `clusterLocatorMethods`). */
  id?: string;
  /** The cluster's observed health in the inventory. */
  health?: ClusterHealth;
}

const NO_CLUSTERS: SuppliedClusters = {
  clusters: [],
  ids: new Map(),
  health: new Map(),
};

/**
 * A KubernetesClustersSupplier fed by the multicluster inventory over its REST
 * API, merged with the default supplier's clusters. The list and its view
 * credentials are read with this plugin's service credentials and cached; if
 * the inventory cannot be read, the last good list is served (and the default
 * clusters always are). Each caller then gets only the inventory clusters
 * the multicluster plugin lets them read (`multicluster.cluster.read`, asked
 * on their behalf), so the Kubernetes tab, `/clusters` and the proxy honour
 * team scoping.
 * @public
 */
export class MulticlusterClusterSupplier implements KubernetesClustersSupplier {
  private cache?: { expiresAt: number; supplied: SuppliedClusters };
  private loading?: Promise<SuppliedClusters>;
  private readonly visible = new Map<
    string,
    { expiresAt: number; ids: Promise<Set<string>> }
  >();
  /** View connections of the clusters entities asked for, by id. */
  private readonly connections = new Map<
    string,
    { expiresAt: number; details: ConnectionDetails }
  >();

  constructor(
    private readonly deps: {
      multicluster: MulticlusterService;
      auth: AuthService;
      logger: LoggerService;
      defaultSupplier?: KubernetesClustersSupplier;
    },
    private readonly options: MulticlusterSupplierOptions,
  ) {}

  /** The inventory's clusters merged with the default supplier's (which win on the same API server). */
  async getClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterDetails[]> {
    return (await this.getVisibleClusters(options)).map(c => c.details);
  }

  /**
   * What `getClusters` answers, with each inventory cluster's id and health:
   * the entity-scoped service locator picks from these.
   */
  async getVisibleClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<VisibleCluster[]> {
    const defaults = this.deps.defaultSupplier
      ? await this.deps.defaultSupplier.getClusters(options)
      : [];
    if (!this.cache || Date.now() >= this.cache.expiresAt) {
      // Concurrent callers share one reload; on failure the last good list is served.
      this.loading ??= this.load(defaults)
        .then(supplied => {
          // An empty inventory is typical right after startup, before the first discovery:
          // ask again soon rather than serving nothing for a whole interval.
          const ttl = supplied.clusters.length
            ? this.options.refreshIntervalMs
            : Math.min(EMPTY_RETRY_MS, this.options.refreshIntervalMs);
          this.cache = { expiresAt: Date.now() + ttl, supplied };
          return supplied;
        })
        .catch(error => {
          this.deps.logger.warn(
            `Could not read the multicluster inventory; serving ${
              this.cache ? 'the last known' : 'no'
            } inventory clusters: ${error}`,
          );
          return this.cache?.supplied ?? NO_CLUSTERS;
        })
        .finally(() => {
          this.loading = undefined;
        });
      await this.loading;
    }
    const supplied = this.cache?.supplied ?? NO_CLUSTERS;
    const visible = supplied.clusters.length
      ? await this.visibleTo(options.credentials)
      : new Set<string>();
    const defaultNames = new Set(defaults.map(d => d.name));
    const out: VisibleCluster[] = defaults.map(details => ({ details }));
    for (const details of supplied.clusters) {
      const id = supplied.ids.get(details.name)!;
      if (defaultNames.has(details.name) || !visible.has(id)) continue;
      out.push({ details, id, health: supplied.health.get(id) });
    }
    return out;
  }

  /**
   * Only the given inventory clusters, as `getVisibleClusters` would answer them (plus the
   * default supplier's clusters): what the entity-scoped locator hands over. `known` are
   * clusters the multicluster plugin already answered to this caller (an entity's
   * relations); any other id is asked for on the caller's behalf, so a cluster they may
   * not read is left out. Costs in the entity's clusters, not the inventory's: at 10,000
   * clusters, loading the whole list for every entity would be the query's whole cost.
   */
  async getClustersByIds(options: {
    credentials: BackstageCredentials;
    ids: string[];
    known: Cluster[];
  }): Promise<VisibleCluster[]> {
    const { credentials } = options;
    const defaults = this.deps.defaultSupplier
      ? await this.deps.defaultSupplier.getClusters({ credentials })
      : [];
    const known = new Map(options.known.map(c => [c.id, c]));
    const ids = [...new Set(options.ids)].slice(0, MAX_CLUSTERS_BY_ID);
    const signal = AbortSignal.timeout(15_000);
    const clusters = (
      await Promise.all(
        ids.map(
          async id =>
            known.get(id) ??
            this.deps.multicluster
              .getCluster(id, { credentials, signal })
              .catch(() => undefined), // not theirs to read, or gone
        ),
      )
    ).filter((c): c is Cluster => c !== undefined);
    const connections = await this.connectionsOf(clusters.map(c => c.id));
    const { clusters: details, ids: idsByName } = toClusterDetails(
      clusters,
      connections,
      defaults,
      this.options,
    );
    const health = new Map(clusters.map(c => [c.id, c.status.health]));
    return [
      ...defaults.map(d => ({ details: d })),
      ...details.map(d => {
        const id = idsByName.get(d.name)!;
        return { details: d, id, health: health.get(id) };
      }),
    ];
  }

  /** View connections by cluster id, each read once per refresh interval. */
  private async connectionsOf(
    ids: string[],
  ): Promise<Map<string, ConnectionDetails>> {
    const now = Date.now();
    const out = new Map<string, ConnectionDetails>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.connections.get(id);
      if (cached && cached.expiresAt > now) out.set(id, cached.details);
      else missing.push(id);
    }
    if (missing.length) {
      const credentials = await this.deps.auth.getOwnServiceCredentials();
      const signal = AbortSignal.timeout(15_000);
      for (let i = 0; i < missing.length; i += IDS_PER_CALL) {
        // The view identity: the Kubernetes plugin only ever reads.
        const items = await this.deps.multicluster.getClusterConnections(
          missing.slice(i, i + IDS_PER_CALL),
          { credentials, signal, role: 'view' },
        );
        for (const item of items) {
          out.set(item.id, item);
          this.connections.delete(item.id);
          if (this.connections.size >= CONNECTIONS_CACHE_SIZE)
            this.connections.delete(this.connections.keys().next().value!);
          this.connections.set(item.id, {
            details: item,
            expiresAt: now + this.options.refreshIntervalMs,
          });
        }
      }
    }
    return out;
  }

  /**
   * The inventory ids the caller may read, as the multicluster plugin answers
   * on their behalf. Fails closed: a caller it cannot ask for (or that it
   * refuses) sees no inventory cluster.
   */
  private visibleTo(credentials: BackstageCredentials): Promise<Set<string>> {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    const key = `${principal.type}:${
      principal.userEntityRef ?? principal.subject ?? ''
    }`;
    const now = Date.now();
    const cached = this.visible.get(key);
    if (cached && cached.expiresAt > now) return cached.ids;
    const ids = this.readVisible(credentials).catch(error => {
      this.deps.logger.debug(
        `No inventory clusters for ${key}: the multicluster plugin answered ${error}`,
      );
      return new Set<string>();
    });
    this.visible.delete(key);
    if (this.visible.size >= VISIBLE_CACHE_SIZE) {
      // The oldest entry goes first (a Map iterates in insertion order).
      this.visible.delete(this.visible.keys().next().value!);
    }
    this.visible.set(key, { expiresAt: now + VISIBLE_TTL_MS, ids });
    return ids;
  }

  private async readVisible(
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    if ((credentials.principal as { type: string }).type === 'none')
      return new Set();
    const ids = new Set<string>();
    const signal = AbortSignal.timeout(15_000);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.deps.multicluster.listClusters(
        {
          limit: PAGE_LIMIT,
          ...(this.options.selector ? { selector: this.options.selector } : {}),
          ...(cursor ? { cursor } : {}),
        },
        { credentials, signal },
      );
      for (const c of result.items) ids.add(c.id);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return ids;
  }

  private async load(defaults: ClusterDetails[]): Promise<SuppliedClusters> {
    const { multicluster } = this.deps;
    // As this plugin: one list (and one view identity per cluster) for every
    // user, each of whom then sees only what they may read.
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const signal = AbortSignal.timeout(15_000);
    const clusters: Cluster[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await multicluster.listClusters(
        {
          limit: PAGE_LIMIT,
          ...(this.options.selector ? { selector: this.options.selector } : {}),
          ...(cursor ? { cursor } : {}),
        },
        { credentials, signal },
      );
      clusters.push(...result.items);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    const wanted = clusters.filter(
      c => !(this.options.skipUnhealthy && c.status.health === 'unreachable'),
    );
    const connections = new Map<string, ConnectionDetails>();
    for (let i = 0; i < wanted.length; i += IDS_PER_CALL) {
      const ids = wanted.slice(i, i + IDS_PER_CALL).map(c => c.id);
      // The view identity: the Kubernetes plugin only ever reads.
      const items = await multicluster.getClusterConnections(ids, {
        credentials,
        signal,
        role: 'view',
      });
      for (const item of items) connections.set(item.id, item);
    }
    const {
      clusters: details,
      ids,
      skipped,
    } = toClusterDetails(clusters, connections, defaults, this.options);
    if (skipped.length) {
      this.deps.logger.debug(
        `Inventory clusters not supplied to the Kubernetes plugin: ${skipped
          .map(s => `${s.id} (${s.reason})`)
          .join(', ')}`,
      );
    }
    const health = new Map<string, ClusterHealth>();
    for (const c of clusters) health.set(c.id, c.status.health);
    return { clusters: details, ids, health };
  }
}
