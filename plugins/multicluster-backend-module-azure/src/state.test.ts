/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { parseManagedClusterId } from './resourceId';
import { aksProviderState, aksProviderStateReason } from './state';

describe('aksProviderState', () => {
  it.each([
    ['Succeeded', 'Running', 'active'],
    ['Succeeded', 'Stopped', 'stopped'],
    ['Succeeded', undefined, 'active'],
    ['Creating', undefined, 'provisioning'],
    ['Updating', 'Running', 'updating'],
    ['Upgrading', 'Running', 'updating'],
    ['Scaling', 'Running', 'updating'],
    ['Starting', 'Stopped', 'updating'],
    ['Stopping', 'Running', 'updating'],
    ['Migrating', 'Running', 'updating'],
    ['Deleting', 'Running', 'deleting'],
    ['Failed', 'Running', 'failed'],
    ['Failed', 'Stopped', 'failed'],
    ['Canceled', 'Running', 'unknown'],
    ['Canceled', 'Stopped', 'stopped'],
    ['succeeded', 'running', 'active'],
    [undefined, undefined, 'unknown'],
  ])('%s / %s → %s', (provisioningState, powerState, state) => {
    expect(aksProviderState(provisioningState, powerState)).toBe(state);
  });

  it('describes the states and version', () => {
    expect(
      aksProviderStateReason({
        provisioningState: 'Succeeded',
        powerState: { code: 'Running' },
        kubernetesVersion: '1.30',
        currentKubernetesVersion: '1.30.3',
      }),
    ).toBe(
      'AKS provisioningState Succeeded, powerState Running, Kubernetes 1.30.3',
    );
    expect(aksProviderStateReason({})).toBe('AKS provisioningState unknown');
  });
});

describe('parseManagedClusterId', () => {
  it.each([
    [
      '/subscriptions/AAAA-BB/resourceGroups/My.RG(1)/providers/Microsoft.ContainerService/managedClusters/aks-1',
      { subscriptionId: 'aaaa-bb', resourceGroup: 'My.RG(1)', name: 'aks-1' },
    ],
    [
      '/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/x',
      { subscriptionId: 's', resourceGroup: 'rg', name: 'x' },
    ],
    [
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/x/agentPools/p',
      undefined,
    ],
    [
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x',
      undefined,
    ],
    ['aks-1', undefined],
  ])('%s', (id, expected) => {
    expect(parseManagedClusterId(id)).toEqual(expected);
  });
});
