/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * Node library for the multicluster plugin: extension points and the interfaces of
 * cluster providers and component drivers.
 *
 * @packageDocumentation
 */
export * from './providers';
export * from './drivers';
export * from './extensions';
export * from './cloud';
export * from './multiclusterService';
