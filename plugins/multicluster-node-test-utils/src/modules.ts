/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createBackendModule,
  type ExtensionPoint,
} from '@backstage/backend-plugin-api';
import type {
  EnvironmentCloud,
  WorkloadRequest,
} from '@archipelago/multicluster-common';
import {
  type ClusterProvider,
  type ComponentDriver,
  type ComponentTemplateDefinition,
  type DnsProvider,
  multiclusterDnsProvidersExtensionPoint,
  type MulticlusterDnsProvidersExtensionPoint,
  type EnvironmentCloudMapping,
  multiclusterDriversExtensionPoint,
  multiclusterProvidersExtensionPoint,
  multiclusterWorkloadsExtensionPoint,
  type MulticlusterDriversExtensionPoint,
  type MulticlusterProvidersExtensionPoint,
  type MulticlusterWorkloadsExtensionPoint,
  type WorkloadReconciler,
} from '@archipelago/multicluster-node';

/**
 * What a module added through the multicluster extension points.
 * @public
 */
export interface MulticlusterContributions {
  /** Cluster providers to register. */
  providers: ClusterProvider[];
  /** Component drivers to register. */
  drivers: ComponentDriver[];
  /** Component templates by name. */
  templates: Record<string, ComponentTemplateDefinition>;
  /** `mappings[cloud][type]`. */
  mappings: Record<string, Record<string, EnvironmentCloudMapping>>;
  /** Workloads added through the workloads extension point. */
  workloads: WorkloadRequest[];
  /** A reconciler set through the workloads extension point. */
  reconciler?: WorkloadReconciler;
  /** DNS providers added through the DNS providers extension point. */
  dnsProviders?: DnsProvider[];
}

/**
 * A backend module that adds the given providers, drivers, templates and type
 * mappings to the real multicluster plugin through its public extension
 * points, the way any module does: start it with the plugin in
 * `startTestBackend`.
 * @public
 */
export function createMulticlusterTestModule(
  contributions: Partial<MulticlusterContributions> & { moduleId?: string },
) {
  return createBackendModule({
    pluginId: 'multicluster',
    moduleId: contributions.moduleId ?? 'test',
    register(reg) {
      reg.registerInit({
        deps: {
          providers: multiclusterProvidersExtensionPoint,
          drivers: multiclusterDriversExtensionPoint,
          workloads: multiclusterWorkloadsExtensionPoint,
          dns: multiclusterDnsProvidersExtensionPoint,
        },
        async init({ providers, drivers, workloads, dns }) {
          for (const provider of contributions.dnsProviders ?? [])
            dns.addDnsProvider(provider);
          if (contributions.workloads?.length)
            workloads.addWorkloads(...contributions.workloads);
          if (contributions.reconciler)
            workloads.setReconciler(contributions.reconciler);
          if (contributions.providers?.length)
            providers.addClusterProvider(...contributions.providers);
          if (contributions.drivers?.length)
            drivers.addComponentDriver(...contributions.drivers);
          if (contributions.templates)
            drivers.addComponentTemplates(contributions.templates);
          for (const [cloud, mappings] of Object.entries(
            contributions.mappings ?? {},
          )) {
            drivers.addEnvironmentTypeMappings(
              cloud as EnvironmentCloud,
              mappings,
            );
          }
        },
      });
    },
  });
}

/**
 * Stand-ins for the multicluster extension points that record what a module
 * adds, for testing a module without the plugin:
 * `startTestBackend({ extensionPoints: captured.extensionPoints, features: [module] })`.
 * The providers and drivers points always; the workloads point only with
 * `{ workloads: true }` and the DNS providers point only with `{ dns: true }`,
 * since a test backend refuses stand-ins no module depends on.
 * @public
 */
export function captureMulticlusterContributions(
  options: { workloads?: boolean; dns?: boolean } = {},
): MulticlusterContributions & {
  extensionPoints: Array<
    | [
        ExtensionPoint<MulticlusterProvidersExtensionPoint>,
        MulticlusterProvidersExtensionPoint,
      ]
    | [
        ExtensionPoint<MulticlusterDriversExtensionPoint>,
        MulticlusterDriversExtensionPoint,
      ]
    | [
        ExtensionPoint<MulticlusterWorkloadsExtensionPoint>,
        MulticlusterWorkloadsExtensionPoint,
      ]
    | [
        ExtensionPoint<MulticlusterDnsProvidersExtensionPoint>,
        MulticlusterDnsProvidersExtensionPoint,
      ]
  >;
} {
  const captured: MulticlusterContributions = {
    providers: [],
    drivers: [],
    templates: {},
    mappings: {},
    workloads: [],
    dnsProviders: [],
  };
  // Arrays and maps are shared with the stand-ins; the reconciler is set on this object.
  const result: ReturnType<typeof captureMulticlusterContributions> = {
    ...captured,
    extensionPoints: [
      [
        multiclusterProvidersExtensionPoint,
        {
          addClusterProvider: (...p) => captured.providers.push(...p),
        },
      ],
      [
        multiclusterDriversExtensionPoint,
        {
          addComponentDriver: (...d) => captured.drivers.push(...d),
          addComponentTemplates: t => Object.assign(captured.templates, t),
          addEnvironmentTypeMappings: (cloud, m) => {
            captured.mappings[cloud] = { ...captured.mappings[cloud], ...m };
          },
        },
      ],
    ],
  };
  if (options.workloads)
    result.extensionPoints.push([
      multiclusterWorkloadsExtensionPoint,
      {
        addWorkloads: (...w) => captured.workloads.push(...w),
        setReconciler: r => {
          result.reconciler = r;
        },
      },
    ]);
  if (options.dns)
    result.extensionPoints.push([
      multiclusterDnsProvidersExtensionPoint,
      { addDnsProvider: p => captured.dnsProviders!.push(p) },
    ]);
  return result;
}
