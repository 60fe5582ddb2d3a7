/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
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
import { z } from 'zod';
import { type GcpApi, gcpLabels, isCode } from './gcpApi';

const inputsSchema = z
  .object({
    versioning: z
      .boolean({ invalid_type_error: 'must be true or false' })
      .default(false),
    storageClass: z
      .enum(['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'], {
        errorMap: () => ({
          message: 'must be one of STANDARD, NEARLINE, COLDLINE, ARCHIVE',
        }),
      })
      .default('STANDARD'),
  })
  .strict();

/**
 * `gcp-gcs-bucket`: a Cloud Storage bucket in the region, uniform
 * bucket-level access, through `@google-cloud/storage`. Versioning changes
 * in place.
 * @public
 */
export class GcsBucketDriver implements ComponentDriver {
  /** The driver id templates name. */
  readonly id = 'gcp-gcs-bucket';
  /** The kind of component it makes. */
  readonly kind = 'objectStore' as const;
  /** The cloud it creates in. */
  readonly cloud = 'gcp';
  /** What it makes, for people. */
  readonly description = 'A Cloud Storage bucket';
  /** Which inputs change in place and which never change. */
  readonly updates = { inPlace: { versioning: [] } };

  constructor(private readonly api: GcpApi) {}

  /** Refuses bad inputs, naming the field. */
  validateInputs(inputs: Record<string, unknown>): void {
    parseDriverInputs(this.id, inputsSchema.partial(), inputs);
  }

  private result(bucket: string): ComponentCreateResult {
    return {
      capabilities: {
        bucket_url: this.api.bucketUrl(bucket),
        bucket,
        region: this.api.region,
      },
      state: {},
    };
  }

  /** Creates the component, or returns the existing one (idempotent on the resource name). */
  async create(ctx: ComponentContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const bucket = this.api.storage.bucket(ctx.resourceName);
    const [exists] = await bucket.exists();
    if (!exists) {
      try {
        await this.api.storage.createBucket(ctx.resourceName, {
          location: this.api.region.toUpperCase(),
          storageClass: inputs.storageClass,
          versioning: { enabled: inputs.versioning },
          iamConfiguration: { uniformBucketLevelAccess: { enabled: true } },
          labels: gcpLabels(ctx.tags),
        });
      } catch (error) {
        if (!isCode(error, 409)) throw error;
      }
    }
    return this.result(ctx.resourceName);
  }

  /** Applies changed inputs in place. */
  async update(ctx: ComponentUpdateContext): Promise<ComponentCreateResult> {
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    await this.api.storage
      .bucket(ctx.resourceName)
      .setMetadata({ versioning: { enabled: inputs.versioning } });
    return this.result(ctx.resourceName);
  }

  /** Deletes the component; deleting what is gone succeeds. */
  async delete(ctx: ComponentContext): Promise<void> {
    const bucket = this.api.storage.bucket(ctx.resourceName);
    const [exists] = await bucket.exists();
    if (!exists) return;
    await bucket.deleteFiles({ force: true, versions: true } as any);
    try {
      await bucket.delete();
    } catch (error) {
      if (!isCode(error, 404)) throw error;
    }
  }

  /** The component's current state. */
  async status(ctx: ComponentContext): Promise<ComponentStatus> {
    const [exists] = await this.api.storage.bucket(ctx.resourceName).exists();
    return exists
      ? { state: 'active' }
      : { state: 'missing', message: `bucket ${ctx.resourceName} is gone` };
  }

  /** What differs from the recorded state, or undefined when the component matches. */
  async checkDrift(
    ctx: ExistingComponentContext,
  ): Promise<ComponentDriftReport | undefined> {
    const bucket = this.api.storage.bucket(ctx.resourceName);
    const [exists] = await bucket.exists();
    if (!exists)
      return {
        summary: `bucket ${ctx.resourceName} is gone`,
        differences: [
          {
            resource: `bucket ${ctx.resourceName}`,
            expected: 'exists',
            actual: 'missing',
          },
        ],
      };
    const inputs = parseDriverInputs(this.id, inputsSchema, ctx.inputs);
    const [metadata] = await bucket.getMetadata();
    const versioning = !!metadata.versioning?.enabled;
    return versioning === inputs.versioning
      ? undefined
      : {
          summary: `versioning is ${versioning ? 'on' : 'off'}`,
          differences: [
            {
              field: 'versioning',
              expected: String(inputs.versioning),
              actual: String(versioning),
            },
          ],
        };
  }
}
