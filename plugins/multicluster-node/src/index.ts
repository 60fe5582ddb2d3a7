/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/**
 * The node library of the multicluster plugin: extension points for cluster
 * providers and component drivers (with their templates and type mappings),
 * helpers shared by the modules that implement them, and the apply library
 * (`kube/`) shared by `multicluster:deploy` and the workloads reconciler.
 *
 * @packageDocumentation
 */
export * from './providers';
export * from './drivers';
export * from './extensions';
export * from './cloud';
export * from './kubeconfig';
export * from './permissions';
export * from './multiclusterService';
export * from './kube';
export * from './workloads';
export * from './dns';
