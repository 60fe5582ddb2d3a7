/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A GKE cluster as the v1 REST API returns it (JSON names, enum names). */
export type GkeClusterJson = Record<string, unknown> & {
  name: string;
  location: string;
};

/** One request the fake saw. */
export interface GkeRequest {
  method: string;
  path: string;
  authorization?: string;
}

const STATUS_NUMBERS: Record<string, number> = {
  STATUS_UNSPECIFIED: 0,
  PROVISIONING: 1,
  RUNNING: 2,
  RECONCILING: 3,
  STOPPING: 4,
  ERROR: 5,
  DEGRADED: 6,
};

/**
 * A small HTTP fake of the GKE v1 REST endpoint `GET /v1/projects/P/locations/L/clusters`
 * (L `-` for every location, with `missingZones`), and of the Security Token Service
 * endpoint an external-account credential exchanges its subject token at. Only the
 * token it issued is accepted.
 */
export class FakeGke {
  /** Clusters by project id. */
  readonly clusters = new Map<string, GkeClusterJson[]>();
  /** Projects that answer with an error. */
  readonly failures = new Map<
    string,
    { code: number; status: string; message: string }
  >();
  /** Zones reported unreachable for `-` listings, by project. */
  readonly missingZones = new Map<string, string[]>();
  /** How many of the next list calls to answer with 429 RESOURCE_EXHAUSTED. */
  throttle = 0;
  readonly requests: GkeRequest[] = [];
  readonly tokenExchanges: Array<Record<string, string>> = [];
  readonly accessToken = 'ya29.fake-gke-access-token';
  endpoint = '';
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => this.handle(req, body, res));
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    this.endpoint = `http://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server!.close(() => resolve()));
  }

  addCluster(projectId: string, cluster: GkeClusterJson): void {
    this.clusters.set(projectId, [
      ...(this.clusters.get(projectId) ?? []),
      cluster,
    ]);
  }

  private send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.endpoint);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      authorization: req.headers.authorization,
    });

    if (req.method === 'POST' && url.pathname === '/v1/token') {
      const form = Object.fromEntries(new URLSearchParams(body));
      this.tokenExchanges.push(form);
      if (
        form.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange' ||
        !form.subject_token
      ) {
        this.send(res, 400, { error: 'invalid_request' });
        return;
      }
      this.send(res, 200, {
        access_token: this.accessToken,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      });
      return;
    }

    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      this.send(res, 401, {
        error: {
          code: 401,
          status: 'UNAUTHENTICATED',
          message: 'Request had invalid authentication credentials.',
        },
      });
      return;
    }

    const list = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters$/.exec(
      url.pathname,
    );
    if (req.method === 'GET' && list) {
      const [, project, location] = list;
      if (this.throttle > 0) {
        this.throttle--;
        this.send(res, 429, {
          error: {
            code: 429,
            status: 'RESOURCE_EXHAUSTED',
            message: 'Quota exceeded for quota metric read requests.',
          },
        });
        return;
      }
      const failure = this.failures.get(project);
      if (failure) {
        this.send(res, failure.code, { error: failure });
        return;
      }
      const numericEnums = (url.searchParams.get('$alt') ?? '').includes(
        'enum-encoding=int',
      );
      const clusters = (this.clusters.get(project) ?? [])
        .filter(c => location === '-' || c.location === location)
        .map(c =>
          numericEnums && typeof c.status === 'string'
            ? { ...c, status: STATUS_NUMBERS[c.status] }
            : c,
        );
      const missing =
        location === '-' ? this.missingZones.get(project) : undefined;
      this.send(res, 200, {
        clusters,
        ...(missing ? { missingZones: missing } : {}),
      });
      return;
    }
    this.send(res, 404, {
      error: {
        code: 404,
        status: 'NOT_FOUND',
        message: `no route for ${url.pathname}`,
      },
    });
  }
}
