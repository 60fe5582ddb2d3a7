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

type Json = Record<string, any>;

/** A failure the next matching call answers with (once). */
export interface GcpFault {
  method: string;
  path: RegExp;
  /** An HTTP error, or (for operations) `operation` to fail the operation itself. */
  status?: number;
  operation?: boolean;
  code: string;
  message: string;
}

const CLUSTER_STATUS: Record<string, number> = {
  PROVISIONING: 1,
  RUNNING: 2,
  STOPPING: 4,
  ERROR: 5,
};
const OPERATION_STATUS: Record<string, number> = { RUNNING: 2, DONE: 3 };

/**
 * A fake of the documented Google Cloud REST endpoints the GCP drivers call,
 * in one HTTP server, like the ARM fake of the Azure module: Compute
 * networks and subnetworks with their operations, GKE v1 clusters and node
 * pools (the JSON the client's REST transport speaks, numeric enums when it
 * asks for them), Cloud SQL Admin instances, databases, users and
 * operations, the Cloud Storage JSON API for buckets, and the Security Token
 * Service an external-account credential exchanges its token at. Only the
 * token it issued is accepted. Long-running operations finish on their first
 * read; a fault can fail the next matching call or its operation.
 */
export class FakeGcp {
  readonly networks = new Map<string, Json>();
  readonly subnetworks = new Map<string, Json>();
  readonly clusters = new Map<string, Json>();
  readonly instances = new Map<string, Json>();
  readonly buckets = new Map<string, Json>();
  readonly faults: GcpFault[] = [];
  readonly requests: Array<{ method: string; path: string }> = [];
  readonly accessToken = 'ya29.fake-gcp-access-token';
  endpoint = '';
  private readonly operations = new Map<
    string,
    { op: Json; finish: () => Json }
  >();
  private server?: Server;
  private nextOp = 1;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        try {
          this.handle(req, body, res);
        } catch (error) {
          this.error(res, 500, 'INTERNAL', String((error as Error).message));
        }
      });
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

  /** Everything that exists, by kind: the proof of "nothing left". */
  inventory() {
    return {
      networks: [...this.networks.keys()].sort(),
      subnetworks: [...this.subnetworks.keys()].sort(),
      clusters: [...this.clusters.keys()].sort(),
      instances: [...this.instances.keys()].sort(),
      buckets: [...this.buckets.keys()].sort(),
    };
  }

  private send(res: ServerResponse, status: number, body?: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private error(
    res: ServerResponse,
    code: number,
    status: string,
    message: string,
  ) {
    this.send(res, code, {
      error: { code, status, message, errors: [{ reason: status, message }] },
    });
  }

  private fault(method: string, path: string): GcpFault | undefined {
    const i = this.faults.findIndex(
      f => f.method === method && f.path.test(path),
    );
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }

  /** Starts an operation; `apply` runs when it is first read (or at once for containers). */
  private operation(
    kind: 'compute' | 'sql' | 'gke',
    apply: () => void,
    fault?: GcpFault,
  ): Json {
    const name = `operation-${this.nextOp++}`;
    const op: Json = { name, status: kind === 'sql' ? 'PENDING' : 'RUNNING' };
    this.operations.set(name, {
      op,
      finish: () => {
        if (op.status !== 'DONE') {
          if (fault)
            op.error = {
              errors: [{ code: fault.code, message: fault.message }],
            };
          else apply();
          op.status = 'DONE';
        }
        return op;
      },
    });
    return op;
  }

  private handle(req: IncomingMessage, raw: string, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.endpoint);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    this.requests.push({ method, path });
    const json = String(req.headers['content-type'] ?? '').includes('json');
    const body = raw && json ? JSON.parse(raw) : {};

    if (method === 'POST' && path === '/v1/token') {
      this.send(res, 200, {
        access_token: this.accessToken,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      });
      return undefined;
    }
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      this.error(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials.',
      );
      return undefined;
    }
    const fault = this.fault(method, path);
    if (fault && !fault.operation) {
      this.error(res, fault.status ?? 400, fault.code, fault.message);
      return undefined;
    }
    const numeric = (url.searchParams.get('$alt') ?? '').includes(
      'enum-encoding=int',
    );

    // ---- Compute Engine
    let m =
      /^\/compute\/v1\/projects\/([^/]+)\/(global|regions\/[^/]+)\/operations\/([^/]+)$/.exec(
        path,
      );
    if (m && method === 'GET') return this.readOperation(res, m[3]);
    m =
      /^\/compute\/v1\/projects\/([^/]+)\/global\/networks(?:\/([^/]+))?$/.exec(
        path,
      );
    if (m) {
      const [, project, name] = m;
      const key = `projects/${project}/global/networks/${name ?? body.name}`;
      if (method === 'POST') {
        if (this.networks.has(key))
          return this.error(
            res,
            409,
            'alreadyExists',
            `The resource '${key}' already exists`,
          );
        return this.send(
          res,
          200,
          this.operation(
            'compute',
            () => this.networks.set(key, { ...body, selfLink: key }),
            fault,
          ),
        );
      }
      const network = this.networks.get(key);
      if (!network)
        return this.error(
          res,
          404,
          'notFound',
          `The resource '${key}' was not found`,
        );
      if (method === 'GET') return this.send(res, 200, network);
      if (method === 'DELETE') {
        if ([...this.subnetworks.values()].some(s => s.network === key))
          return this.error(
            res,
            400,
            'resourceInUseByAnotherResource',
            `The network resource '${key}' is already being used`,
          );
        return this.send(
          res,
          200,
          this.operation('compute', () => this.networks.delete(key), fault),
        );
      }
    }
    m =
      /^\/compute\/v1\/projects\/([^/]+)\/regions\/([^/]+)\/subnetworks(?:\/([^/]+))?$/.exec(
        path,
      );
    if (m) {
      const [, project, region, name] = m;
      const key = `projects/${project}/regions/${region}/subnetworks/${
        name ?? body.name
      }`;
      if (method === 'POST') {
        if (!this.networks.has(body.network))
          return this.error(
            res,
            400,
            'invalid',
            `network ${body.network} does not exist`,
          );
        if (this.subnetworks.has(key))
          return this.error(
            res,
            409,
            'alreadyExists',
            `The resource '${key}' already exists`,
          );
        return this.send(
          res,
          200,
          this.operation(
            'compute',
            () => this.subnetworks.set(key, { ...body }),
            fault,
          ),
        );
      }
      const subnet = this.subnetworks.get(key);
      if (!subnet)
        return this.error(
          res,
          404,
          'notFound',
          `The resource '${key}' was not found`,
        );
      if (method === 'GET') return this.send(res, 200, subnet);
      if (method === 'DELETE')
        return this.send(
          res,
          200,
          this.operation('compute', () => this.subnetworks.delete(key), fault),
        );
    }

    // ---- GKE (container.googleapis.com v1, REST transport)
    m =
      /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/operations\/([^/]+)$/.exec(
        path,
      );
    if (m && method === 'GET') return this.readOperation(res, m[3], numeric);
    m =
      /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters(?:\/([^/:]+))?(\/nodePools\/([^/:]+):setSize)?$/.exec(
        path,
      );
    if (m) {
      const [, project, location, name, setSize, pool] = m;
      const key = `projects/${project}/locations/${location}/clusters/${
        name ?? body.cluster?.name
      }`;
      if (method === 'POST' && !name) {
        if (this.clusters.has(key))
          return this.error(
            res,
            409,
            'ALREADY_EXISTS',
            `Already exists: ${key}`,
          );
        if (fault)
          return this.error(
            res,
            fault.status ?? 400,
            fault.code,
            fault.message,
          );
        const c = body.cluster;
        this.clusters.set(key, {
          ...c,
          location,
          status: 'PROVISIONING',
          // Loopback: nothing ever probes or writes to an address off this machine.
          endpoint: '127.0.0.1',
          currentMasterVersion: `${
            c.initialClusterVersion ?? '1.31'
          }.4-gke.100`,
          masterAuth: {
            clusterCaCertificate: Buffer.from(
              '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n',
            ).toString('base64'),
          },
        });
        return this.send(
          res,
          200,
          this.gkeOperation(() => undefined, numeric),
        );
      }
      const cluster = this.clusters.get(key);
      if (!cluster)
        return this.error(res, 404, 'NOT_FOUND', `Not found: ${key}`);
      if (method === 'POST' && setSize) {
        const np = cluster.nodePools?.find((p: Json) => p.name === pool);
        if (!np)
          return this.error(
            res,
            404,
            'NOT_FOUND',
            `Not found: node pool ${pool}`,
          );
        np.initialNodeCount = body.nodeCount;
        return this.send(
          res,
          200,
          this.gkeOperation(() => undefined, numeric),
        );
      }
      if (method === 'GET') {
        const shown = { ...cluster };
        // Provisioning is over once someone looked.
        if (cluster.status === 'PROVISIONING') cluster.status = 'RUNNING';
        if (cluster.status === 'STOPPING') this.clusters.delete(key);
        return this.send(
          res,
          200,
          numeric ? { ...shown, status: CLUSTER_STATUS[shown.status] } : shown,
        );
      }
      if (method === 'DELETE') {
        cluster.status = 'STOPPING';
        return this.send(
          res,
          200,
          this.gkeOperation(() => undefined, numeric),
        );
      }
    }

    // ---- Cloud SQL Admin v1
    m = /^\/v1\/projects\/([^/]+)\/operations\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return this.readOperation(res, m[2]);
    m =
      /^\/v1\/projects\/([^/]+)\/instances(?:\/([^/]+))?(?:\/(databases|users)(?:\/([^/]+))?)?$/.exec(
        path,
      );
    if (m) {
      const [, project, name, sub, subName] = m;
      const key = `projects/${project}/instances/${name ?? body.name}`;
      if (method === 'POST' && !name) {
        if (this.instances.has(key))
          return this.error(
            res,
            409,
            'ALREADY_EXISTS',
            `instance ${key} already exists`,
          );
        return this.send(
          res,
          200,
          this.operation(
            'sql',
            () =>
              this.instances.set(key, {
                ...body,
                state: 'PENDING_CREATE',
                ipAddresses: [
                  {
                    type: 'PRIVATE',
                    ipAddress: `10.99.0.${this.instances.size + 3}`,
                  },
                ],
                databases: {},
                users: {},
              }),
            fault,
          ),
        );
      }
      const instance = this.instances.get(key);
      if (!instance)
        return this.error(
          res,
          404,
          'NOT_FOUND',
          `The Cloud SQL instance does not exist.`,
        );
      if (!sub) {
        if (method === 'GET') {
          const { databases: _d, users: _u, ...shown } = instance;
          if (instance.state === 'PENDING_CREATE') instance.state = 'RUNNABLE';
          return this.send(res, 200, shown);
        }
        if (method === 'PATCH')
          return this.send(
            res,
            200,
            this.operation(
              'sql',
              () => {
                instance.settings = { ...instance.settings, ...body.settings };
              },
              fault,
            ),
          );
        if (method === 'DELETE')
          return this.send(
            res,
            200,
            this.operation('sql', () => this.instances.delete(key), fault),
          );
      }
      if (sub === 'databases') {
        if (method === 'GET') {
          const db = instance.databases[subName];
          return db
            ? this.send(res, 200, db)
            : this.error(
                res,
                404,
                'NOT_FOUND',
                `database ${subName} not found`,
              );
        }
        if (method === 'POST')
          return this.send(
            res,
            200,
            this.operation(
              'sql',
              () => {
                instance.databases[body.name] = { name: body.name };
              },
              fault,
            ),
          );
      }
      if (sub === 'users' && method === 'PUT') {
        const user = url.searchParams.get('name') ?? body.name;
        return this.send(
          res,
          200,
          this.operation(
            'sql',
            () => {
              // The fake keeps that a password was set, never the password.
              instance.users[user] = { name: user, passwordSet: true };
            },
            fault,
          ),
        );
      }
    }

    // ---- Cloud Storage JSON API
    m = /^\/storage\/v1\/b(?:\/([^/]+))?(\/o)?$/.exec(path);
    if (m) {
      const [, name, objects] = m;
      if (method === 'POST' && !name) {
        if (this.buckets.has(body.name))
          return this.error(
            res,
            409,
            'conflict',
            'Your previous request to create the named bucket succeeded and you already own it.',
          );
        const bucket = { kind: 'storage#bucket', id: body.name, ...body };
        this.buckets.set(body.name, bucket);
        return this.send(res, 200, bucket);
      }
      const bucket = this.buckets.get(name);
      if (!bucket)
        return this.error(
          res,
          404,
          'notFound',
          'The specified bucket does not exist.',
        );
      if (objects && method === 'GET')
        return this.send(res, 200, { kind: 'storage#objects', items: [] });
      if (method === 'GET') return this.send(res, 200, bucket);
      if (method === 'PATCH') {
        Object.assign(bucket, body);
        return this.send(res, 200, bucket);
      }
      if (method === 'DELETE') {
        this.buckets.delete(name);
        res.writeHead(204);
        res.end();
        return undefined;
      }
    }
    this.error(res, 404, 'NOT_FOUND', `no route for ${method} ${path}`);
    return undefined;
  }

  private gkeOperation(apply: () => void, numeric: boolean): Json {
    const op = this.operation('gke', apply);
    this.operations.get(op.name)!.finish();
    return numeric ? { ...op, status: OPERATION_STATUS[op.status] } : op;
  }

  private readOperation(res: ServerResponse, name: string, numeric = false) {
    const entry = this.operations.get(name);
    if (!entry)
      return this.error(res, 404, 'NOT_FOUND', `operation ${name} not found`);
    const op = entry.finish();
    return this.send(
      res,
      200,
      numeric ? { ...op, status: OPERATION_STATUS[op.status] } : op,
    );
  }
}
