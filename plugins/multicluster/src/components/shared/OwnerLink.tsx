/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

/** An owner ref as a catalog link; plain text if the ref does not parse. */
export function OwnerLink(props: { owner: string }) {
  let ref;
  try {
    ref = parseEntityRef(props.owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    return <>{props.owner}</>;
  }
  return <EntityRefLink entityRef={ref} defaultKind="group" />;
}
