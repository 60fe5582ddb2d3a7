/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { detectDistribution, type DistributionHints } from './distribution';

describe('detectDistribution', () => {
  it.each<[string, DistributionHints, string | undefined]>([
    ['nothing known', {}, undefined],
    ['EKS gitVersion', { gitVersion: 'v1.29.3-eks-adc7111' }, 'eks'],
    [
      'EKS node label',
      {
        gitVersion: 'v1.29.3',
        nodeLabels: [{ 'eks.amazonaws.com/nodegroup': 'ng-1' }],
      },
      'eks',
    ],
    ['GKE gitVersion', { gitVersion: 'v1.28.3-gke.1203001' }, 'gke'],
    [
      'GKE node label',
      { nodeLabels: [{ 'cloud.google.com/gke-nodepool': 'default-pool' }] },
      'gke',
    ],
    [
      'AKS node label',
      {
        gitVersion: 'v1.28.5',
        nodeLabels: [{ 'kubernetes.azure.com/cluster': 'MC_rg_aks' }],
      },
      'aks',
    ],
    [
      'OpenShift node label',
      {
        gitVersion: 'v1.27.6+f67aeb3',
        nodeLabels: [{ 'node.openshift.io/os_id': 'rhcos' }],
      },
      'openshift',
    ],
    [
      'minikube',
      {
        gitVersion: 'v1.30.0',
        nodeLabels: [{ 'minikube.k8s.io/name': 'minikube' }],
      },
      'minikube',
    ],
    ['k3s gitVersion', { gitVersion: 'v1.27.7+k3s1' }, 'k3s'],
    ['rke2', { gitVersion: 'v1.26.3+rke2r1' }, 'rke2'],
    [
      'kind providerID',
      {
        gitVersion: 'v1.30.0',
        providerIds: ['kind://docker/kind/kind-control-plane'],
      },
      'kind',
    ],
    [
      'docker desktop',
      {
        gitVersion: 'v1.29.1',
        nodeLabels: [{ 'kubernetes.io/hostname': 'docker-desktop' }],
      },
      'docker-desktop',
    ],
    [
      'plain kubernetes',
      {
        gitVersion: 'v1.31.4',
        nodeLabels: [{ 'kubernetes.io/hostname': 'node-1' }],
      },
      'kubernetes',
    ],
  ])('%s', (_name, hints, expected) => {
    expect(detectDistribution(hints)).toBe(expected);
  });
});
