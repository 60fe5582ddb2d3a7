/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

/**
 * A catalog holding the given owners (entity refs such as
 * `group:default/team-a` or `user:default/jane`), for backends whose tests
 * create environments: the multicluster plugin refuses an owner that is not
 * in the catalog. Add it to `startTestBackend`'s features.
 * @public
 */
export function catalogWithOwners(refs: string[]) {
  return catalogServiceMock.factory({
    entities: refs.map(ref => {
      const m = /^([a-z]+):([^/]+)\/(.+)$/i.exec(ref);
      if (!m) throw new Error(`not a full entity ref: ${ref}`);
      const [, kind, namespace, name] = m;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: kind[0].toUpperCase() + kind.slice(1).toLowerCase(),
        metadata: { name, namespace },
        spec:
          kind.toLowerCase() === 'group' ? { type: 'team', children: [] } : {},
      };
    }),
  });
}
