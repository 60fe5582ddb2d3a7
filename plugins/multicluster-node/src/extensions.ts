/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { MulticlusterProvidersExtensionPoint } from './providers';
import type { MulticlusterDriversExtensionPoint } from './drivers';
import type { MulticlusterDnsProvidersExtensionPoint } from './dns';

/**
 * Add cluster providers to the multicluster inventory.
 * @public
 */
export const multiclusterProvidersExtensionPoint =
  createExtensionPoint<MulticlusterProvidersExtensionPoint>({
    id: 'multicluster.cluster-providers',
  });

/**
 * Add component drivers to the environments engine.
 * @public
 */
export const multiclusterDriversExtensionPoint =
  createExtensionPoint<MulticlusterDriversExtensionPoint>({
    id: 'multicluster.component-drivers',
  });

/**
 * Add DNS providers (Route53, the local DNS server…) to the DNS reconciler.
 * @public
 */
export const multiclusterDnsProvidersExtensionPoint =
  createExtensionPoint<MulticlusterDnsProvidersExtensionPoint>({
    id: 'multicluster.dns-providers',
  });
