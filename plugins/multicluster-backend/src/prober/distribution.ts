/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** What the prober learned that hints at a distribution. */
export interface DistributionHints {
  /** `gitVersion` from /version, e.g. `v1.29.3-eks-adc7111`. */
  gitVersion?: string;
  /** Labels of the cluster's nodes (a sample is enough). */
  nodeLabels?: Array<Record<string, string>>;
  /** `spec.providerID` of nodes, e.g. `aws:///eu-west-1a/i-0abc`, `kind://docker/kind/kind-control-plane`. */
  providerIds?: string[];
}

type Rule = {
  distribution: string;
  gitVersion?: RegExp;
  nodeLabel?: string;
  nodeLabelValue?: RegExp;
  providerId?: RegExp;
};

// Order matters: specific managed offerings before generic build tags.
const RULES: Rule[] = [
  { distribution: 'emulator', gitVersion: /[-+]emulator/i },
  { distribution: 'emulator', nodeLabel: 'archipelago.dev/emulated' },
  { distribution: 'eks', gitVersion: /-eks-/ },
  { distribution: 'eks', nodeLabel: 'eks.amazonaws.com/nodegroup' },
  { distribution: 'eks', nodeLabel: 'eks.amazonaws.com/compute-type' },
  { distribution: 'gke', gitVersion: /-gke\./ },
  { distribution: 'gke', nodeLabel: 'cloud.google.com/gke-nodepool' },
  { distribution: 'aks', nodeLabel: 'kubernetes.azure.com/cluster' },
  { distribution: 'aks', nodeLabel: 'kubernetes.azure.com/role' },
  { distribution: 'openshift', nodeLabel: 'node.openshift.io/os_id' },
  { distribution: 'minikube', nodeLabel: 'minikube.k8s.io/name' },
  { distribution: 'k3s', gitVersion: /\+k3s/ },
  {
    distribution: 'k3s',
    nodeLabel: 'node.kubernetes.io/instance-type',
    nodeLabelValue: /^k3s$/,
  },
  { distribution: 'rke2', gitVersion: /\+rke2/ },
  { distribution: 'kind', providerId: /^kind:\/\// },
  {
    distribution: 'docker-desktop',
    nodeLabel: 'kubernetes.io/hostname',
    nodeLabelValue: /^docker-desktop$/,
  },
];

/**
 * Detects the Kubernetes distribution from /version and node metadata.
 * Returns `kubernetes` when nothing specific matches and `undefined` when
 * there is nothing to go on yet (never probed).
 */
export function detectDistribution(
  hints: DistributionHints,
): string | undefined {
  const labels = hints.nodeLabels ?? [];
  const providerIds = hints.providerIds ?? [];
  if (!hints.gitVersion && labels.length === 0 && providerIds.length === 0) {
    return undefined;
  }
  for (const rule of RULES) {
    if (
      rule.gitVersion &&
      hints.gitVersion &&
      rule.gitVersion.test(hints.gitVersion)
    ) {
      return rule.distribution;
    }
    if (rule.nodeLabel) {
      const key = rule.nodeLabel;
      const hit = labels.some(
        l =>
          key in l &&
          (!rule.nodeLabelValue || rule.nodeLabelValue.test(l[key])),
      );
      if (hit) return rule.distribution;
    }
    if (rule.providerId && providerIds.some(p => rule.providerId!.test(p))) {
      return rule.distribution;
    }
  }
  return 'kubernetes';
}
