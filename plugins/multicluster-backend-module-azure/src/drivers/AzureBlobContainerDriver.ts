/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  BlobServiceClient,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import type {
  ComponentContext,
  ComponentCreateResult,
  ComponentDriver,
  ComponentStatus,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import { parseInputs } from './common';

const inputsSchema = z.object({}).strict();

/** Blob metadata names must be C# identifiers. */
function metadata(
  tags: Record<string, string>,
  resourceName: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    ...tags,
    'archipelago.dev/resource': resourceName,
  })) {
    out[k.replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z_]/, '_')] = v;
  }
  return out;
}

/**
 * `azure-blob-container`: a private Blob container in the configured storage
 * account (a storage account per environment would take minutes and a
 * globally unique name; a container is the bucket-sized unit). Shared-key or
 * Entra ID authentication; Azurite works as the endpoint in development.
 */
export class AzureBlobContainerDriver implements ComponentDriver {
  readonly id = 'azure-blob-container';
  readonly kind = 'objectStore' as const;
  readonly cloud = 'azure';
  readonly description = 'An Azure Blob Storage container';
  private readonly service: BlobServiceClient;

  constructor(
    storage: {
      accountName: string;
      accountKey?: string;
      blobEndpoint?: string;
    },
    private readonly location: string,
    credential: TokenCredential,
  ) {
    const url =
      storage.blobEndpoint ??
      `https://${storage.accountName}.blob.core.windows.net`;
    this.service = new BlobServiceClient(
      url,
      storage.accountKey
        ? new StorageSharedKeyCredential(
            storage.accountName,
            storage.accountKey,
          )
        : credential,
    );
  }

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema, inputs);
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    parseInputs(this.id, inputsSchema, ctx.inputs);
    const container = this.service.getContainerClient(ctx.resourceName);
    // No public access: the container is private unless an owner shares it.
    await container.createIfNotExists({
      metadata: metadata(ctx.tags, ctx.resourceName),
      abortSignal: ctx.signal,
    });
    return {
      capabilities: {
        bucket_url: container.url,
        bucket: ctx.resourceName,
        region: this.location,
      },
      state: {},
    };
  }

  async delete(ctx: ComponentContext): Promise<void> {
    await this.service
      .getContainerClient(ctx.resourceName)
      .deleteIfExists({ abortSignal: ctx.signal });
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    return (await this.service.getContainerClient(ctx.resourceName).exists())
      ? { state: 'active' }
      : {
          state: 'missing',
          message: `container ${ctx.resourceName} no longer exists`,
        };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    const status = await this.status(ctx);
    return status.state === 'missing' ? status.message : undefined;
  }
}
