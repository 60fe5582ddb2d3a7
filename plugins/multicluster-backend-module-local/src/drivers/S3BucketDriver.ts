/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  type ComponentContext,
  type ComponentCreateResult,
  type ComponentDriftReport,
  type ComponentDriver,
  type ComponentStatus,
  type ComponentUpdateContext,
  type ExistingComponentContext,
  parseDriverInputs,
} from '@archipelago/multicluster-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const inputsSchema = z
  .object({
    versioning: z
      .boolean({ invalid_type_error: 'must be true or false' })
      .default(false),
  })
  .strict();

/** A configured S3-compatible endpoint (`multicluster.environments.local.s3`). @public */
export interface ConfiguredS3 {
  /** Base URL the backend uses. */
  endpoint: string;
  /** Region of the buckets. */
  region: string;
  /** Access key that may create buckets. */
  accessKeyId: string;
  /** Its secret. */
  secretAccessKey: string;
  /** Base URL environments see, when it differs from endpoint. */
  publicEndpoint?: string;
}

interface Endpoint {
  client: S3Client;
  /** Base URL environments see. */
  publicEndpoint: string;
  region: string;
}

type KoaContext = {
  path: string;
  query: Record<string, unknown>;
  get(header: string): string;
  status: number;
  type: string;
  body: unknown;
};
type S3rverInstance = {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  /** Koa's middleware stack: the guard goes first. */
  middleware: Array<(ctx: KoaContext, next: () => Promise<void>) => unknown>;
};

/** What the local store remembers between restarts (mode 0600): its port and key. */
interface LocalStoreFile {
  port?: number;
  accessKeyId?: string;
  secretAccessKey?: string;
}

const SIGNATURE_PARAMS = ['x-amz-signature', 'signature', 'x-amz-credential'];

/**
 * Anonymous requests may use an object whose URL they hold (what an
 * environment's bucket_url grants), never list buckets or a bucket's objects,
 * nor manage buckets. Signed requests go on to s3rver's own check.
 */
export function localStoreGuard(ctx: KoaContext, next: () => Promise<void>) {
  const signed =
    Boolean(ctx.get('authorization')) ||
    Object.keys(ctx.query).some(k =>
      SIGNATURE_PARAMS.includes(k.toLowerCase()),
    );
  const segments = ctx.path.split('/').filter(Boolean);
  if (!signed && segments.length < 2) {
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Anonymous requests may only read or write objects</Message></Error>';
    return undefined;
  }
  return next();
}

/**
 * s3rver accepts its well-known development key (S3RVER) and does not verify
 * V4 signatures: the key id is what a client proves. Replace the well-known
 * key with this store's own random one, kept private in its data folder.
 */
function useOwnKey(keys: { accessKeyId: string; secretAccessKey: string }) {
  // eslint-disable-next-line @backstage/no-undeclared-imports
  const AWSAccount = require('s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: {
      createKeyPair(id: string, secret: string): void;
      revokeAccessKey(id: string): void;
    };
  };
  AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(
    keys.accessKeyId,
    keys.secretAccessKey,
  );
}

const notFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchBucket' ||
    e?.$metadata?.httpStatusCode === 404
  );
};

async function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `s3-bucket`: a bucket on an S3-compatible endpoint (path-style URLs, as
 * MinIO, Ceph and the local store need). Without a configured endpoint the
 * driver starts s3rver in this process on 127.0.0.1, storing under
 * `<dataDir>/s3`, on the same port as last time when it is free, so bucket
 * URLs survive a backend restart. The store's key is its own, random, kept
 * with the port in `<dataDir>/s3/endpoint.json` (0600); anonymous clients
 * may use objects by URL but not list buckets or their contents.
 * @public
 */
export class S3BucketDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 's3-bucket';
  /** The component kind it builds. */
  readonly kind = 'objectStore' as const;
  /** The cloud it targets. */
  readonly cloud = 'local';
  /** A human line for plans and the UI. */
  readonly description = 'A bucket on an S3-compatible store';
  /** Versioning is turned on in place; it is never turned off again (S3 only suspends it). */
  readonly updates = { inPlace: { versioning: [] } };
  private endpoint?: Promise<Endpoint>;
  private server?: S3rverInstance;

  constructor(
    private readonly options: {
      configured?: ConfiguredS3;
      dataDir: string;
      logger: LoggerService;
    },
  ) {}

  /** Throws, naming the input and what is allowed, when inputs are invalid. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  private ensure(): Promise<Endpoint> {
    if (!this.endpoint) {
      this.endpoint = this.start().catch(error => {
        this.endpoint = undefined;
        throw error;
      });
    }
    return this.endpoint;
  }

  private async start(): Promise<Endpoint> {
    const configured = this.options.configured;
    if (configured) {
      return {
        client: new S3Client({
          endpoint: configured.endpoint,
          region: configured.region,
          forcePathStyle: true,
          credentials: {
            accessKeyId: configured.accessKeyId,
            secretAccessKey: configured.secretAccessKey,
          },
        }),
        publicEndpoint: (
          configured.publicEndpoint ?? configured.endpoint
        ).replace(/\/+$/, ''),
        region: configured.region,
      };
    }
    const dir = path.join(this.options.dataDir, 's3');
    await mkdir(path.join(dir, 'buckets'), { recursive: true, mode: 0o700 });
    const storeFile = path.join(dir, 'endpoint.json');
    let remembered: LocalStoreFile = {};
    try {
      remembered = JSON.parse(await readFile(storeFile, 'utf8'));
    } catch {
      // first start
    }
    let port = 0;
    if (
      typeof remembered.port === 'number' &&
      (await portFree(remembered.port))
    ) {
      port = remembered.port;
    }
    const keys = {
      accessKeyId:
        remembered.accessKeyId ??
        `ARCHI${randomBytes(10).toString('hex').toUpperCase()}`,
      secretAccessKey:
        remembered.secretAccessKey ?? randomBytes(30).toString('base64url'),
    };
    useOwnKey(keys);
    // s3rver is CommonJS; required lazily so configured setups never load it.
    const S3rver = require('s3rver') as new (
      options: Record<string, unknown>,
    ) => S3rverInstance;
    const server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory: path.join(dir, 'buckets'),
      // Path-style only: bucket names are not resolved from Host headers.
      vhostBuckets: false,
    });
    server.middleware.unshift(localStoreGuard);
    const address = await server.run();
    this.server = server;
    await writeFile(
      storeFile,
      JSON.stringify({ port: address.port, ...keys } satisfies LocalStoreFile),
      { mode: 0o600 },
    );
    const url = `http://127.0.0.1:${address.port}`;
    this.options.logger.info(
      `Local S3-compatible store (s3rver) serving at ${url}`,
    );
    return {
      client: new S3Client({
        endpoint: url,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: keys,
      }),
      publicEndpoint: url,
      region: 'us-east-1',
    };
  }

  private capabilities(endpoint: Endpoint, bucket: string) {
    return {
      bucket_url: `${endpoint.publicEndpoint}/${bucket}`,
      bucket,
      region: endpoint.region,
    };
  }

  /** Refuses an update S3 cannot make (turning versioning off). */
  validateUpdate(change: {
    previous: Record<string, unknown>;
    next: Record<string, unknown>;
  }): void {
    if (
      change.previous.versioning === true &&
      change.next.versioning !== true
    ) {
      throw new Error(
        'versioning: a versioned bucket cannot be made unversioned again (S3 can only suspend versioning)',
      );
    }
  }

  /** Applies changed inputs in place. */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    this.validateUpdate({ previous: ctx.previousInputs, next: ctx.inputs });
    // create() is idempotent and turns versioning on when asked.
    return this.create(ctx);
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const { versioning } = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const endpoint = await this.ensure();
    const bucket = ctx.resourceName;
    let exists = true;
    try {
      await endpoint.client.send(new HeadBucketCommand({ Bucket: bucket }), {
        abortSignal: ctx.signal,
      });
    } catch (error) {
      if (!notFound(error)) throw error;
      exists = false;
    }
    if (!exists) {
      try {
        await endpoint.client.send(
          new CreateBucketCommand({ Bucket: bucket }),
          { abortSignal: ctx.signal },
        );
      } catch (error) {
        if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou')
          throw error;
      }
    }
    let versioningState = 'off';
    if (versioning) {
      try {
        await endpoint.client.send(
          new PutBucketVersioningCommand({
            Bucket: bucket,
            VersioningConfiguration: { Status: 'Enabled' },
          }),
          { abortSignal: ctx.signal },
        );
        versioningState = 'enabled';
      } catch (error) {
        if ((error as { name?: string }).name !== 'NotImplemented') throw error;
        // The local store does not version; production clouds do.
        versioningState = 'unsupported by the endpoint';
        ctx.logger.warn(
          `Bucket ${bucket}: the S3 endpoint does not implement versioning; left unversioned`,
        );
      }
    }
    return {
      capabilities: this.capabilities(endpoint, bucket),
      state: { versioning: versioningState },
    };
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    const endpoint = await this.ensure();
    const bucket = ctx.resourceName;
    // A bucket must be empty to be deleted; bounded, 1000 keys a page.
    for (let page = 0; page < 10_000; page++) {
      let listed;
      try {
        listed = await endpoint.client.send(
          new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }),
          {
            abortSignal: ctx.signal,
          },
        );
      } catch (error) {
        if (notFound(error)) return;
        throw error;
      }
      const keys = (listed.Contents ?? []).map(o => ({ Key: o.Key! }));
      if (keys.length === 0) break;
      await endpoint.client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys, Quiet: true },
        }),
        {
          abortSignal: ctx.signal,
        },
      );
    }
    try {
      await endpoint.client.send(new DeleteBucketCommand({ Bucket: bucket }), {
        abortSignal: ctx.signal,
      });
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const endpoint = await this.ensure();
    try {
      await endpoint.client.send(
        new HeadBucketCommand({ Bucket: ctx.resourceName }),
      );
      return { state: 'active' };
    } catch (error) {
      if (notFound(error))
        return {
          state: 'missing',
          message: `bucket ${ctx.resourceName} no longer exists`,
        };
      throw error;
    }
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const status = await this.status(ctx);
    if (status.state === 'missing')
      return {
        summary: status.message!,
        differences: [
          {
            resource: `bucket ${ctx.resourceName}`,
            expected: 'exists',
            actual: 'missing',
          },
        ],
      };
    const endpoint = await this.ensure();
    const expected = this.capabilities(endpoint, ctx.resourceName).bucket_url;
    if (ctx.capabilities.bucket_url !== expected)
      return {
        summary: `the bucket is now served at ${expected}`,
        differences: [
          {
            field: 'bucket_url',
            expected: String(ctx.capabilities.bucket_url),
            actual: expected,
          },
        ],
      };
    return undefined;
  }

  /** Starts the local process again when the backend starts; returns new capabilities when they changed. */
  async attach(
    ctx: ExistingComponentContext,
  ): Promise<{ capabilities?: Record<string, unknown> } | void> {
    const endpoint = await this.ensure();
    const caps = this.capabilities(endpoint, ctx.resourceName);
    return caps.bucket_url === ctx.capabilities.bucket_url
      ? undefined
      : { capabilities: caps };
  }

  /** Stops what this driver runs in this process; created resources stay. */
  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.endpoint = undefined;
    if (server) await server.close().catch(() => undefined);
  }
}
