/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { EnvironmentCloud } from '@archipelago/multicluster-common';
import type {
  ComponentDriver,
  ComponentTemplateDefinition,
  EnvironmentCloudMapping,
  MulticlusterDriversExtensionPoint,
} from '../drivers';

/**
 * What a module contributes for one cloud: its drivers, their templates and
 * the mappings of environment types onto them.
 * @public
 */
export interface CloudDriverBundle {
  /** The cloud the bundle serves. */
  cloud: EnvironmentCloud;
  /** Its component drivers; an empty list registers nothing. */
  drivers: ComponentDriver[];
  /** Its component templates by name. */
  templates: Record<string, ComponentTemplateDefinition>;
  /** Environment type to the mapping of its components on this cloud. */
  mappings: Record<string, EnvironmentCloudMapping>;
}

/**
 * Adds a bundle through the drivers extension point. A bundle without drivers
 * (its drivers are not configured) adds nothing: no templates, no mappings, so
 * the cloud is simply not offered. Returns whether anything was added.
 * @public
 */
export function addCloudDrivers(
  extensionPoint: MulticlusterDriversExtensionPoint,
  bundle: CloudDriverBundle,
): boolean {
  if (bundle.drivers.length === 0) return false;
  extensionPoint.addComponentDriver(...bundle.drivers);
  extensionPoint.addComponentTemplates(bundle.templates);
  extensionPoint.addEnvironmentTypeMappings(bundle.cloud, bundle.mappings);
  return true;
}

/**
 * A mapping from component keys to template names, the common case:
 * `templateMapping({ network: 'aws-vpc-small', kubernetes: 'aws-eks-small' })`.
 * @public
 */
export function templateMapping(
  templates: Record<string, string>,
): EnvironmentCloudMapping {
  return Object.fromEntries(
    Object.entries(templates).map(([key, template]) => [key, { template }]),
  );
}
