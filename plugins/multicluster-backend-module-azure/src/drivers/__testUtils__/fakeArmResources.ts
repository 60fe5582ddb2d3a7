/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from '../../__testUtils__/fakeArm';

interface StoredResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: unknown;
  identity?: unknown;
  properties: Record<string, unknown>;
}

/** A fault: requests matching method and path answer with an ARM error. */
export interface ArmFault {
  method: string;
  path: RegExp;
  status: number;
  code: string;
  message: string;
}

/**
 * A small fake of Azure Resource Manager for the resource types the
 * environment drivers create: resource groups, virtual networks,
 * managed clusters, PostgreSQL flexible servers and their databases.
 * Resources are stored by id (case-insensitively, as ARM does); PUT answers
 * 200 with provisioningState Succeeded (so the SDKs' pollers finish at once),
 * a missing parent resource group is a 404, and deleting a resource group
 * deletes everything in it. Write-only properties (passwords) are never
 * echoed. Served over HTTPS, as ARM clients insist on.
 */
export class FakeArmResources {
  readonly resources = new Map<string, StoredResource>();
  readonly faults: ArmFault[] = [];
  readonly requests: Array<{ method: string; path: string }> = [];
  endpoint = '';
  caPem = '';
  private server?: ReturnType<typeof createServer>;

  async start(): Promise<void> {
    const { certPem, keyPem } = await selfSignedCertificate();
    this.caPem = certPem;
    this.server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.endpoint = `https://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** Resource ids of a type (e.g. `Microsoft.Network/virtualNetworks`), or every one. */
  list(type?: string): string[] {
    return [...this.resources.values()]
      .filter(r => !type || r.type.toLowerCase() === type.toLowerCase())
      .map(r => r.id)
      .sort();
  }

  private send(res: ServerResponse, status: number, body?: unknown) {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-ms-request-id': randomBytes(8).toString('hex'),
    });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private error(
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
  ) {
    this.send(res, status, { error: { code, message } });
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'https://arm.local');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path });
    if (!req.headers.authorization?.startsWith('Bearer ')) {
      this.error(res, 401, 'AuthenticationFailed', 'no bearer token');
      return;
    }
    const fault = this.faults.find(
      f => f.method === method && f.path.test(path),
    );
    if (fault) {
      this.error(res, fault.status, fault.code, fault.message);
      return;
    }
    const key = path.toLowerCase();
    const group = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+)/i.exec(
      path,
    )?.[1];
    const isGroup = group !== undefined && group.length === path.length;
    const existing = this.resources.get(key);

    if (method === 'GET' || method === 'HEAD') {
      if (!existing) {
        if (isGroup)
          this.error(
            res,
            404,
            'ResourceGroupNotFound',
            `Resource group '${path.split('/').pop()}' could not be found.`,
          );
        else
          this.error(
            res,
            404,
            'ResourceNotFound',
            `The Resource '${path}' was not found.`,
          );
        return;
      }
      if (method === 'HEAD') this.send(res, 204);
      else this.send(res, 200, existing);
      return;
    }
    if (method === 'DELETE') {
      if (!existing) {
        this.send(res, 204);
        return;
      }
      for (const k of [...this.resources.keys()]) {
        if (k === key || k.startsWith(`${key}/`)) this.resources.delete(k);
      }
      this.send(res, 200);
      return;
    }
    if (method === 'PUT' || method === 'PATCH') {
      if (!isGroup && (!group || !this.resources.has(group.toLowerCase()))) {
        this.error(
          res,
          404,
          'ResourceGroupNotFound',
          `Resource group of '${path}' could not be found.`,
        );
        return;
      }
      if (method === 'PATCH' && !existing) {
        this.error(
          res,
          404,
          'ResourceNotFound',
          `The Resource '${path}' was not found.`,
        );
        return;
      }
      const input = body ? (JSON.parse(body) as Partial<StoredResource>) : {};
      const resource = this.materialise(
        path,
        existing,
        input,
        method === 'PATCH',
      );
      this.resources.set(key, resource);
      this.send(res, existing ? 200 : 201, resource);
      return;
    }
    this.error(
      res,
      405,
      'MethodNotAllowed',
      `${method} is not supported by the fake`,
    );
  }

  /** Builds what ARM would store and return for a PUT or PATCH. */
  private materialise(
    path: string,
    existing: StoredResource | undefined,
    input: Partial<StoredResource>,
    patch: boolean,
  ) {
    const segments = path.split('/');
    const name = segments[segments.length - 1];
    const providerAt = segments.findIndex(s => s.toLowerCase() === 'providers');
    const type =
      providerAt < 0
        ? 'Microsoft.Resources/resourceGroups'
        : [
            segments[providerAt + 1],
            ...segments.slice(providerAt + 2).filter((_, i) => i % 2 === 0),
          ].join('/');
    const properties: Record<string, unknown> = {
      ...(patch ? existing?.properties : {}),
      ...(input.properties ?? {}),
      provisioningState: 'Succeeded',
    };
    const lower = type.toLowerCase();
    if (lower === 'microsoft.network/virtualnetworks') {
      properties.subnets = (
        (properties.subnets as Array<Record<string, any>>) ?? []
      ).map(s => ({
        ...s,
        id: `${path}/subnets/${s.name}`,
        properties: { ...s.properties, provisioningState: 'Succeeded' },
      }));
    } else if (lower === 'microsoft.containerservice/managedclusters') {
      properties.fqdn ??= `${properties.dnsPrefix ?? name}-${randomBytes(
        4,
      ).toString('hex')}.hcp.${input.location ?? existing?.location}.azmk8s.io`;
      properties.currentKubernetesVersion ??=
        (properties.kubernetesVersion as string | undefined) ?? '1.31.2';
      properties.powerState = { code: 'Running' };
    } else if (lower === 'microsoft.dbforpostgresql/flexibleservers') {
      // Write-only: accepted, never returned.
      delete properties.administratorLoginPassword;
      properties.fullyQualifiedDomainName = `${name}.postgres.database.azure.com`;
      properties.state = 'Ready';
    }
    return {
      id: existing?.id ?? path,
      name,
      type,
      location: input.location ?? existing?.location,
      tags: input.tags ?? existing?.tags,
      ...(input.sku || existing?.sku
        ? { sku: input.sku ?? existing?.sku }
        : {}),
      ...(input.identity || existing?.identity
        ? { identity: input.identity ?? existing?.identity }
        : {}),
      properties,
    };
  }
}
