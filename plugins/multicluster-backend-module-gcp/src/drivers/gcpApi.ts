/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ClusterManagerClient } from '@google-cloud/container';
import { Storage } from '@google-cloud/storage';
import { GoogleAuth } from 'google-auth-library';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOUD_PLATFORM_SCOPE } from '../credentials';
import type { GcpDriversConfig } from './config';

/** The public endpoints; one override replaces them all (see config). */
const ENDPOINTS = {
  compute: 'https://compute.googleapis.com',
  sqladmin: 'https://sqladmin.googleapis.com',
  container: 'https://container.googleapis.com',
  storage: 'https://storage.googleapis.com',
} as const;

/** A Google API error with its HTTP status and Google's own status and message. */
export class GcpApiError extends Error {
  name = 'GcpApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Operations of Compute and Cloud SQL Admin, as their REST APIs return them. @public */
export interface GcpOperation {
  /** The operation's name, for polling. */
  name: string;
  /** `PENDING`, `RUNNING` or `DONE`. */
  status: string;
  /** Why it failed, when it did. */
  error?: { errors?: Array<{ code?: string; message?: string }> };
}

/**
 * The Google clients the drivers share: google-auth-library's authorized
 * client for the Compute and Cloud SQL Admin REST APIs (the transport
 * Google's generated clients use), the GKE client (`@google-cloud/container`
 * over its REST transport) and the Cloud Storage client. Every call is
 * bounded; long operations are polled.
 * @public
 */
export class GcpApi {
  /** Google credentials (Application Default Credentials unless given). */
  readonly auth: GoogleAuth;
  /** The GKE cluster manager client. */
  readonly container: ClusterManagerClient;
  /** The Cloud Storage client. */
  readonly storage: Storage;
  /** The project environments are created in. */
  readonly project: string;
  /** The region environments are created in. */
  readonly region: string;
  /** How often operations are polled, milliseconds. */
  readonly pollMs: number;
  private readonly base: Record<keyof typeof ENDPOINTS, string>;

  constructor(
    /** The GCP driver settings. */
    readonly settings: GcpDriversConfig,
  ) {
    this.project = settings.projectId;
    this.region = settings.region;
    this.pollMs = settings.pollIntervalSeconds * 1000;
    const override = settings.endpoint?.replace(/\/+$/, '');
    this.base = {
      compute: override ?? ENDPOINTS.compute,
      sqladmin: override ?? ENDPOINTS.sqladmin,
      container: override ?? ENDPOINTS.container,
      storage: override ?? ENDPOINTS.storage,
    };
    this.auth = new GoogleAuth({
      scopes: [CLOUD_PLATFORM_SCOPE],
      ...(settings.credentials
        ? { credentials: JSON.parse(settings.credentials) }
        : {}),
      projectId: settings.projectId,
    });
    const container = new URL(this.base.container);
    const protocol = container.protocol.replace(':', '');
    this.container = new ClusterManagerClient({
      fallback: true,
      auth: this.auth,
      apiEndpoint: container.hostname,
      port: container.port ? Number(container.port) : defaultPort(protocol),
      protocol,
    });
    this.storage = new Storage({
      projectId: settings.projectId,
      authClient: this.auth,
      apiEndpoint: this.base.storage,
      useAuthWithCustomEndpoint: true,
      retryOptions: { maxRetries: 2 },
    });
  }

  /** Where a bucket's objects are served. */
  bucketUrl(bucket: string): string {
    return `${this.base.storage}/${bucket}`;
  }

  /** One REST call to Compute or Cloud SQL Admin; 404 answers undefined when `allowMissing`. */
  async request<T>(
    service: 'compute' | 'sqladmin',
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    options: {
      body?: unknown;
      signal?: AbortSignal;
      allowMissing?: boolean;
    } = {},
  ): Promise<T | undefined> {
    const client = await this.auth.getClient();
    try {
      const res = await client.request<T>({
        url: `${this.base[service]}${path}`,
        method,
        data: options.body,
        signal: options.signal as any,
        timeout: 30_000,
        retry: false,
      });
      return res.data;
    } catch (error) {
      const e = error as {
        response?: { status?: number; data?: any };
        message?: string;
      };
      const status = e.response?.status ?? 0;
      if (status === 404 && options.allowMissing) return undefined;
      const body = e.response?.data?.error;
      throw new GcpApiError(
        status,
        String(body?.status ?? body?.errors?.[0]?.reason ?? ''),
        `${service} ${method} ${path.split('?')[0]}: ${
          body?.message ?? e.message ?? 'failed'
        }`,
      );
    }
  }

  /** Waits for a Compute or Cloud SQL operation; throws its error. */
  async wait(
    service: 'compute' | 'sqladmin',
    operation: GcpOperation,
    scope: string,
    signal?: AbortSignal,
  ): Promise<void> {
    let op = operation;
    for (;;) {
      if (op.status === 'DONE') {
        const errors = op.error?.errors ?? [];
        if (errors.length) {
          throw new GcpApiError(
            0,
            String(errors[0].code ?? 'OPERATION_ERROR'),
            errors.map(e => e.message ?? e.code).join('; '),
          );
        }
        return;
      }
      await sleep(this.pollMs, undefined, { signal });
      const path =
        service === 'sqladmin'
          ? `/v1/projects/${this.project}/operations/${op.name}`
          : `/compute/v1/projects/${this.project}/${scope}/operations/${op.name}`;
      op = (await this.request<GcpOperation>(service, 'GET', path, {
        signal,
      }))!;
    }
  }

  /** Closes the clients' connections. */
  async close(): Promise<void> {
    await this.container.close();
  }
}

/**
 * Tags as GCP labels: lower-case keys and values of letters, digits, `_`
 * and `-`, at most 63 characters (`archipelago.dev/environment` becomes
 * `archipelago-dev_environment`).
 * @public
 */
export function gcpLabels(
  tags: Record<string, string>,
): Record<string, string> {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/\./g, '-')
      .replace(/[^a-z0-9_-]/g, '_')
      .slice(0, 63);
  return Object.fromEntries(
    Object.entries(tags).map(([k, v]) => [clean(k), clean(v)]),
  );
}

/** True for a 404 or a 409 "already exists" of any Google client. */
export const isCode = (error: unknown, code: number): boolean => {
  const e = error as { status?: number; code?: number };
  return e?.status === code || e?.code === code;
};

/** The port a URL without one uses. */
function defaultPort(protocol: string): number {
  return protocol === 'http' ? 80 : 443;
}
