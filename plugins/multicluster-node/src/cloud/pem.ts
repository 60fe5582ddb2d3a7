/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Decodes a base64 CA bundle as clouds return it (EKS `certificateAuthority.data`,
 * GKE `clusterCaCertificate`, kubeconfig `certificate-authority-data`) into PEM.
 * Returns undefined when the data does not hold a PEM certificate, so a garbled
 * value falls back to the system trust store (and a visible TLS error) instead of
 * a bundle Node would reject at connect time.
 * @public
 */
export function decodeCaBundle(base64: string | undefined): string | undefined {
  if (!base64) {
    return undefined;
  }
  const text = Buffer.from(base64.trim(), 'base64').toString('utf8');
  const blocks = text.match(PEM_BLOCK);
  if (!blocks) {
    return undefined;
  }
  return `${blocks.join('\n')}\n`;
}
