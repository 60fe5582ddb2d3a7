/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { type AuthService } from '@backstage/backend-plugin-api';
import {
  type ClusterConnectionRole,
  type CreateEnvironmentRequest,
  type EntityRelationsRequest,
  type PromoteEnvironmentRequest,
  type UpdateEnvironmentRequest,
  type ListClustersRequest,
  type ListWorkloadEventsRequest,
  type ListWorkloadsRequest,
  type ListEnvironmentEventsRequest,
  type ListEnvironmentsRequest,
  MULTICLUSTER_PLUGIN_ID,
  type MulticlusterApi,
  MulticlusterClient,
  type PlacementPreviewRequest,
  type WorkloadRequest,
} from '@archipelago/multicluster-common';
import type {
  MulticlusterService,
  MulticlusterServiceRequestOptions,
} from './multiclusterService';

/** Every call to the multicluster plugin is bounded (a dead backend never hangs a caller). */
const DEFAULT_TIMEOUT_MS = 30_000;

class DefaultMulticlusterService implements MulticlusterService {
  constructor(
    private readonly auth: AuthService,
    private readonly api: MulticlusterApi,
    private readonly timeoutMs: number,
  ) {}

  /** The client's options for one call: a token on behalf of the caller and a bounded signal. */
  private async call(options: MulticlusterServiceRequestOptions) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: MULTICLUSTER_PLUGIN_ID,
    });
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return {
      token,
      signal: options.signal
        ? AbortSignal.any([options.signal, timeout])
        : timeout,
    };
  }

  async listClusters(
    request: ListClustersRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listClusters(request, await this.call(options));
  }
  async getCluster(id: string, options: MulticlusterServiceRequestOptions) {
    return this.api.getCluster(id, await this.call(options));
  }
  async getClusterHealth(
    id: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.getClusterHealth(id, await this.call(options));
  }
  async refreshClusters(options: MulticlusterServiceRequestOptions) {
    return this.api.refreshClusters(await this.call(options));
  }
  async getSummary(options: MulticlusterServiceRequestOptions) {
    return this.api.getSummary(await this.call(options));
  }
  async getEntityRelations(
    entity: EntityRelationsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.getEntityRelations(entity, await this.call(options));
  }
  async getClusterConnections(
    ids: string[],
    options: MulticlusterServiceRequestOptions & {
      role?: ClusterConnectionRole;
    },
  ) {
    return this.api.getClusterConnections(ids, {
      ...(await this.call(options)),
      ...(options.role ? { role: options.role } : {}),
    });
  }
  async listEnvironmentTypes(options: MulticlusterServiceRequestOptions) {
    return this.api.listEnvironmentTypes(await this.call(options));
  }
  async listEnvironments(
    request: ListEnvironmentsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listEnvironments(request, await this.call(options));
  }
  async getEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.getEnvironment(name, await this.call(options));
  }
  async createEnvironment(
    request: CreateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.createEnvironment(request, await this.call(options));
  }
  async planEnvironment(
    request: CreateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planEnvironment(request, await this.call(options));
  }
  async destroyEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.destroyEnvironment(name, await this.call(options));
  }
  async listEnvironmentEvents(
    name: string,
    request: ListEnvironmentEventsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listEnvironmentEvents(
      name,
      request,
      await this.call(options),
    );
  }
  async healEnvironment(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.healEnvironment(name, await this.call(options));
  }
  async updateEnvironment(
    name: string,
    request: UpdateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.updateEnvironment(name, request, await this.call(options));
  }
  async planEnvironmentUpdate(
    name: string,
    request: UpdateEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planEnvironmentUpdate(
      name,
      request,
      await this.call(options),
    );
  }
  async listEnvironmentRevisions(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listEnvironmentRevisions(name, await this.call(options));
  }
  async rollbackEnvironment(
    name: string,
    revision: number,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.rollbackEnvironment(
      name,
      revision,
      await this.call(options),
    );
  }
  async promoteEnvironment(
    name: string,
    request: PromoteEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.promoteEnvironment(name, request, await this.call(options));
  }
  async planEnvironmentPromotion(
    name: string,
    request: PromoteEnvironmentRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planEnvironmentPromotion(
      name,
      request,
      await this.call(options),
    );
  }
  async extendEnvironment(
    name: string,
    ttlMinutes: number,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.extendEnvironment(
      name,
      ttlMinutes,
      await this.call(options),
    );
  }
  async previewPlacement(
    request: PlacementPreviewRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.previewPlacement(request, await this.call(options));
  }
  async listWorkloads(
    request: ListWorkloadsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listWorkloads(request, await this.call(options));
  }
  async getWorkload(name: string, options: MulticlusterServiceRequestOptions) {
    return this.api.getWorkload(name, await this.call(options));
  }
  async createWorkload(
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.createWorkload(request, await this.call(options));
  }
  async planWorkload(
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planWorkload(request, await this.call(options));
  }
  async updateWorkload(
    name: string,
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.updateWorkload(name, request, await this.call(options));
  }
  async planWorkloadUpdate(
    name: string,
    request: WorkloadRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.planWorkloadUpdate(name, request, await this.call(options));
  }
  async deleteWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.deleteWorkload(name, await this.call(options));
  }
  async listWorkloadEvents(
    name: string,
    request: ListWorkloadEventsRequest,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listWorkloadEvents(name, request, await this.call(options));
  }
  async listWorkloadRevisions(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.listWorkloadRevisions(name, await this.call(options));
  }
  async rollbackWorkload(
    name: string,
    revision: number,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.rollbackWorkload(name, revision, await this.call(options));
  }
  async pauseWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.pauseWorkload(name, await this.call(options));
  }
  async resumeWorkload(
    name: string,
    options: MulticlusterServiceRequestOptions,
  ) {
    return this.api.resumeWorkload(name, await this.call(options));
  }
}

/**
 * A MulticlusterService over the REST API: the typed client found through
 * discovery, with a plugin request token on behalf of each call's
 * credentials, every call bounded by `timeoutMs` (default 30 s). This is what
 * `multiclusterServiceRef` provides by default.
 * @public
 */
export function createMulticlusterService(options: {
  auth: AuthService;
  discovery: { getBaseUrl(pluginId: string): Promise<string> };
  timeoutMs?: number;
}): MulticlusterService {
  return new DefaultMulticlusterService(
    options.auth,
    new MulticlusterClient({ discoveryApi: options.discovery }),
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
}
