/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
export { LocalDnsProvider, LocalDnsZones } from './LocalDnsProvider';
export { LocalDnsServer, type LocalDnsServerOptions } from './LocalDnsServer';
export { geographyMap } from './answer';
export { readLocalDnsConfig, type LocalDnsConfig } from './config';
