/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A self-signed certificate for 127.0.0.1 (ECDSA P-256). */
export async function selfSignedCertificate(): Promise<{
  certPem: string;
  keyPem: string;
}> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=127.0.0.1',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });
  const pkcs8 = Buffer.from(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
  );
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim()}\n-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem'), keyPem };
}

/** A managed cluster as ARM returns it (REST shape, `properties` nested). */
export interface ArmManagedCluster {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
}

/** One request the fake saw. */
export interface ArmRequest {
  method: string;
  path: string;
  apiVersion?: string;
  authorization?: string;
}

/**
 * A small fake of the ARM Microsoft.ContainerService REST endpoints the provider
 * uses: the subscription and resource-group managed cluster lists (paged with
 * nextLink) and listClusterUserCredential. Served over HTTPS, as ARM clients
 * refuse to send bearer tokens over plain HTTP.
 */
export class FakeArm {
  /** Managed clusters by subscription id (lower case). */
  readonly clusters = new Map<string, ArmManagedCluster[]>();
  /** Kubeconfig YAML returned by listClusterUserCredential, by cluster id (lower case). */
  readonly kubeconfigs = new Map<string, string>();
  /** Subscriptions that answer with an error. */
  readonly failures = new Map<
    string,
    { status: number; code: string; message: string }
  >();
  /** How many of the next requests to answer with 429 and a retry-after. */
  throttle = 0;
  pageSize = 2;
  readonly requests: ArmRequest[] = [];
  endpoint = '';
  caPem = '';
  private server?: ReturnType<typeof createServer>;

  async start(): Promise<void> {
    const { certPem, keyPem } = await selfSignedCertificate();
    this.caPem = certPem;
    this.server = createServer({ cert: certPem, key: keyPem }, (req, res) =>
      this.handle(req, res),
    );
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.endpoint = `https://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server!.close(() => resolve()));
  }

  addCluster(subscriptionId: string, cluster: ArmManagedCluster): void {
    const list = this.clusters.get(subscriptionId.toLowerCase()) ?? [];
    list.push(cluster);
    this.clusters.set(subscriptionId.toLowerCase(), list);
  }

  removeCluster(id: string): void {
    for (const [sub, list] of this.clusters) {
      this.clusters.set(
        sub,
        list.filter(c => c.id.toLowerCase() !== id.toLowerCase()),
      );
    }
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.endpoint);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version') ?? undefined,
      authorization: req.headers.authorization,
    });
    req.resume();
    if (!url.searchParams.get('api-version')) {
      this.send(res, 400, {
        error: {
          code: 'MissingApiVersionParameter',
          message: 'The api-version query parameter is required.',
        },
      });
      return;
    }
    if (this.throttle > 0) {
      this.throttle--;
      this.send(
        res,
        429,
        {
          error: {
            code: 'TooManyRequests',
            message: 'Too many requests, retry later.',
          },
        },
        { 'retry-after-ms': '20' },
      );
      return;
    }

    const list =
      /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ContainerService\/managedClusters$/i.exec(
        url.pathname,
      );
    if (req.method === 'GET' && list) {
      const [, sub, rg] = list;
      const failure = this.failures.get(sub.toLowerCase());
      if (failure) {
        this.send(res, failure.status, {
          error: { code: failure.code, message: failure.message },
        });
        return;
      }
      const all = (this.clusters.get(sub.toLowerCase()) ?? []).filter(
        c =>
          !rg ||
          c.id.toLowerCase().includes(`/resourcegroups/${rg.toLowerCase()}/`),
      );
      const skip = Number(url.searchParams.get('$skipToken') ?? 0);
      const page = all.slice(skip, skip + this.pageSize);
      const next = skip + this.pageSize < all.length ? new URL(url) : undefined;
      next?.searchParams.set('$skipToken', String(skip + this.pageSize));
      this.send(res, 200, {
        value: page,
        ...(next ? { nextLink: next.href } : {}),
      });
      return;
    }

    const creds =
      /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+)\/listClusterUserCredential$/i.exec(
        url.pathname,
      );
    if (req.method === 'POST' && creds) {
      const kubeconfig = this.kubeconfigs.get(creds[1].toLowerCase());
      if (!kubeconfig) {
        this.send(res, 404, {
          error: {
            code: 'ResourceNotFound',
            message: 'The Resource was not found.',
          },
        });
        return;
      }
      this.send(res, 200, {
        kubeconfigs: [
          {
            name: 'clusterUser',
            value: Buffer.from(kubeconfig).toString('base64'),
          },
        ],
      });
      return;
    }
    this.send(res, 404, {
      error: {
        code: 'NotFound',
        message: `no route for ${req.method} ${url.pathname}`,
      },
    });
  }
}
