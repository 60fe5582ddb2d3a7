/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  ClusterCredentials,
  ClusterCredentialsResolver,
} from '@archipelago/multicluster-node';

/** AWS credentials as the SDK's credential providers return them. @public */
export interface AwsCredentials {
  /** The access key id. */
  accessKeyId: string;
  /** The secret access key. */
  secretAccessKey: string;
  /** Session token of temporary credentials. */
  sessionToken?: string;
  /** When temporary credentials expire. */
  expiration?: Date;
}

/** A function returning current AWS credentials (the SDK's provider shape). @public */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Prefix of a bearer token that the EKS API server hands to aws-iam-authenticator. @public */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** Header carrying the cluster id; it is signed, so a token only works for its cluster. @public */
export const EKS_CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** X-Amz-Expires of the presigned URL, as aws-iam-authenticator sets it. */
export const EKS_TOKEN_PRESIGN_EXPIRES_SECONDS = 60;
/**
 * EKS accepts a token for 15 minutes after its X-Amz-Date whatever X-Amz-Expires says;
 * like aws-iam-authenticator we call it expired a minute earlier, for clock skew.
 */
export const EKS_TOKEN_LIFETIME_MS = 14 * 60_000;
/** Tokens are renewed this long before they expire, so none expires mid-request. */
export const EKS_TOKEN_RENEW_BEFORE_MS = 60_000;

/** The DNS suffix of the AWS partition a region belongs to. */
export function awsDnsSuffix(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  if (region.startsWith('us-isob-')) return 'sc2s.sgov.gov';
  if (region.startsWith('us-iso-')) return 'c2s.ic.gov';
  return 'amazonaws.com';
}

/** The regional STS endpoint, or an override (`{region}` is replaced). */
export function stsEndpointFor(region: string, override?: string): URL {
  if (override) {
    return new URL(override.replace(/\{region\}/g, region));
  }
  return new URL(`https://sts.${region}.${awsDnsSuffix(region)}`);
}

/** Options of {@link createEksToken}. @public */
export interface EksTokenOptions {
  /** The cluster's name, the value aws-iam-authenticator matches (x-k8s-aws-id). */
  clusterId: string;
  /** Region whose STS endpoint signs the token (the cluster's region). */
  region: string;
  /** Credentials that sign the token. */
  credentials: AwsCredentials;
  /** STS endpoint override (tests, VPC endpoints, sovereign partitions). */
  stsEndpoint?: string;
  /** Signing time; now when omitted (tests). */
  signingDate?: Date;
}

/**
 * Creates an EKS bearer token: a SigV4-presigned STS GetCallerIdentity URL with the
 * signed `x-k8s-aws-id` header, base64url-encoded without padding and prefixed with
 * `k8s-aws-v1.`. This is the token `aws eks get-token`, aws-iam-authenticator and
 * Backstage's `aws` Kubernetes auth strategy produce.
 * @public
 */
export async function createEksToken(
  options: EksTokenOptions,
): Promise<{ token: string; expiresAt: Date }> {
  const { clusterId, region, credentials } = options;
  const signingDate = options.signingDate ?? new Date();
  const endpoint = stsEndpointFor(region, options.stsEndpoint);
  const port = endpoint.port ? Number(endpoint.port) : undefined;
  const host = endpoint.host;
  const path = endpoint.pathname || '/';

  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    },
    region,
    service: 'sts',
    sha256: Sha256,
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port,
    path,
    headers: { host, [EKS_CLUSTER_ID_HEADER]: clusterId },
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
  });
  const signed = await signer.presign(request, {
    expiresIn: EKS_TOKEN_PRESIGN_EXPIRES_SECONDS,
    signingDate,
  });

  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        v => `${encodeURIComponent(key)}=${encodeURIComponent(v ?? '')}`,
      ),
    )
    .join('&');
  const url = `${endpoint.protocol}//${host}${path}?${query}`;
  const token = `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString(
    'base64url',
  )}`;

  let expiresAt = new Date(signingDate.getTime() + EKS_TOKEN_LIFETIME_MS);
  // STS rejects the URL once the signing session has expired (assumed-role credentials).
  if (credentials.expiration && credentials.expiration < expiresAt) {
    expiresAt = credentials.expiration;
  }
  return { token, expiresAt };
}

/** Options of {@link createEksCredentialsResolver}. @public */
export interface EksCredentialsResolverOptions {
  /** The cluster's name (x-k8s-aws-id). */
  clusterId: string;
  /** The cluster's region. */
  region: string;
  /** Provides the AWS credentials that sign each token. */
  credentials: AwsCredentialsProvider;
  /** STS endpoint override. */
  stsEndpoint?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * A cluster credentials resolver that caches one EKS token and renews it
 * `EKS_TOKEN_RENEW_BEFORE_MS` (a minute) before it expires; concurrent callers share
 * one signing.
 * @public
 */
export function createEksCredentialsResolver(
  options: EksCredentialsResolverOptions,
): ClusterCredentialsResolver {
  const now = options.now ?? (() => new Date());
  let cached: { token: string; expiresAt: Date } | undefined;
  let inflight: Promise<{ token: string; expiresAt: Date }> | undefined;

  const fresh = (t: { expiresAt: Date }) =>
    t.expiresAt.getTime() - EKS_TOKEN_RENEW_BEFORE_MS > now().getTime();

  return async (resolveOptions?: {
    signal?: AbortSignal;
  }): Promise<ClusterCredentials> => {
    resolveOptions?.signal?.throwIfAborted();
    if (!cached || !fresh(cached)) {
      if (!inflight) {
        inflight = (async () => {
          const credentials = await options.credentials();
          return createEksToken({
            clusterId: options.clusterId,
            region: options.region,
            credentials,
            stsEndpoint: options.stsEndpoint,
            signingDate: now(),
          });
        })().finally(() => {
          inflight = undefined;
        });
      }
      cached = await inflight;
    }
    return { type: 'bearer', token: cached.token, expiresAt: cached.expiresAt };
  };
}
