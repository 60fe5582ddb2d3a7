/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { ClusterState } from './state';
import { KubeObject } from './store/store';
import { resolveResource, ResourceRef } from './api/resources';
import { ClusterStore } from './clusterTypes';

/** The store as tests and tools see it: clones out, writes through the registry. */
export class StoreFacade implements ClusterStore {
  constructor(private readonly state: () => ClusterState) {}

  list(resource: ResourceRef, namespace?: string) {
    return structuredClone(
      this.state().store.list(resolveResource(resource), namespace),
    );
  }

  get(resource: ResourceRef, name: string, namespace?: string) {
    const o = this.state().store.get(
      resolveResource(resource),
      namespace,
      name,
    );
    return o ? structuredClone(o) : undefined;
  }

  create(resource: ResourceRef, object: KubeObject) {
    const def = resolveResource(resource);
    return structuredClone(
      this.state().service.create(def, object.metadata?.namespace, object, {
        manager: 'kube-emulator',
      }),
    );
  }

  update(resource: ResourceRef, object: KubeObject) {
    const def = resolveResource(resource);
    return structuredClone(
      this.state().service.update(
        def,
        object.metadata?.namespace,
        object.metadata.name!,
        object,
        {
          manager: 'kube-emulator',
        },
      ),
    );
  }

  delete(resource: ResourceRef, name: string, namespace?: string) {
    this.state().service.delete(resolveResource(resource), namespace, name, {});
  }

  get resourceVersion() {
    return this.state().store.resourceVersion;
  }
}
