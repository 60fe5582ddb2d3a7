/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type {
  ComponentContext,
  ComponentCreateResult,
  ComponentDriver,
  ComponentStatus,
  ExistingComponentContext,
} from '@archipelago/multicluster-node';
import { z } from 'zod';
import { awsDnsSuffix } from '../eks/token';
import { type AwsClients, awsTags, isNotFound, parseInputs } from './common';

const inputsSchema = z
  .object({
    versioning: z
      .boolean({ invalid_type_error: 'must be true or false' })
      .default(false),
  })
  .strict();

/**
 * `aws-s3-bucket`: a private S3 bucket named after the resource name, with
 * public access blocked, tags, and versioning when asked for. Delete empties
 * it first (every version), as S3 requires.
 */
export class AwsS3BucketDriver implements ComponentDriver {
  readonly id = 'aws-s3-bucket';
  readonly kind = 'objectStore' as const;
  readonly cloud = 'aws';
  readonly description = 'An Amazon S3 bucket';

  constructor(private readonly aws: AwsClients) {}

  validateInputs(inputs: Record<string, unknown>): void {
    parseInputs(this.id, inputsSchema.partial(), inputs);
  }

  private url(bucket: string): string {
    return this.aws.endpoint
      ? `${this.aws.endpoint.replace(/\/+$/, '')}/${bucket}`
      : `https://${bucket}.s3.${this.aws.region}.${awsDnsSuffix(
          this.aws.region,
        )}`;
  }

  private async exists(bucket: string): Promise<boolean> {
    try {
      await this.aws.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseInputs(this.id, inputsSchema, ctx.inputs);
    const bucket = ctx.resourceName;
    if (!(await this.exists(bucket))) {
      try {
        await this.aws.s3.send(
          new CreateBucketCommand({
            Bucket: bucket,
            ...(this.aws.region === 'us-east-1'
              ? {}
              : {
                  CreateBucketConfiguration: {
                    LocationConstraint: this.aws
                      .region as BucketLocationConstraint,
                  },
                }),
          }),
          { abortSignal: ctx.signal },
        );
      } catch (error) {
        if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou')
          throw error;
      }
    }
    await this.aws.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
      { abortSignal: ctx.signal },
    );
    await this.aws.s3.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: { TagSet: awsTags(ctx.tags, bucket) },
      }),
      {
        abortSignal: ctx.signal,
      },
    );
    if (inputs.versioning) {
      await this.aws.s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: 'Enabled' },
        }),
        { abortSignal: ctx.signal },
      );
    }
    return {
      capabilities: {
        bucket_url: this.url(bucket),
        bucket,
        region: this.aws.region,
      },
      state: { versioning: inputs.versioning },
    };
  }

  async delete(ctx: ComponentContext): Promise<void> {
    const bucket = ctx.resourceName;
    if (!(await this.exists(bucket))) return;
    // Every version and delete marker, 1000 a page; bounded.
    for (let page = 0; page < 10_000; page++) {
      const listed = await this.aws.s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }),
        {
          abortSignal: ctx.signal,
        },
      );
      const objects = [
        ...(listed.Versions ?? []),
        ...(listed.DeleteMarkers ?? []),
      ].map(v => ({
        Key: v.Key!,
        VersionId: v.VersionId ?? undefined,
      }));
      if (objects.length === 0) break;
      await this.aws.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: objects, Quiet: true },
        }),
        {
          abortSignal: ctx.signal,
        },
      );
    }
    await this.aws.s3
      .send(new DeleteBucketCommand({ Bucket: bucket }), {
        abortSignal: ctx.signal,
      })
      .catch(e => {
        if (!isNotFound(e)) throw e;
      });
  }

  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    return (await this.exists(ctx.resourceName))
      ? { state: 'active' }
      : {
          state: 'missing',
          message: `bucket ${ctx.resourceName} no longer exists`,
        };
  }

  async checkDrift(ctx: ExistingComponentContext): Promise<string | undefined> {
    return (await this.exists(ctx.resourceName))
      ? undefined
      : `bucket ${ctx.resourceName} no longer exists`;
  }
}
