/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** Endpoint overrides; `{region}` in a URL is replaced by the region. */
interface AwsEndpoints {
  /** EKS API endpoint, e.g. a VPC interface endpoint or an emulator. */
  eks?: string;
  /** STS endpoint, for AssumeRole and for the host signed into EKS tokens. */
  sts?: string;
  /** Route53 endpoint (the Route53 DNS provider; account level only). */
  route53?: string;
}

export interface Config {
  multicluster?: {
    providers?: {
      /**
       * EKS discovery. One entry per AWS account; the key names the provider
       * (`aws-eks:<key>`).
       */
      aws?: {
        [key: string]: {
          /** Regions to list clusters in: `us-east-1`, or `{ name, endpoints }`. */
          regions: Array<string | { name: string; endpoints?: AwsEndpoints }>;
          /** Role to assume in the account; otherwise the default credential chain is used. */
          roleArn?: string;
          /**
           * External id required by the role's trust policy.
           * @visibility secret
           */
          externalId?: string;
          /** Session name for AssumeRole (default `archipelago-multicluster`). */
          roleSessionName?: string;
          /**
           * Static access key; prefer the default chain (instance, pod or web identity roles).
           * @visibility secret
           */
          accessKeyId?: string;
          /**
           * Static secret key, with accessKeyId.
           * @visibility secret
           */
          secretAccessKey?: string;
          /** Region of the STS endpoint used for AssumeRole (default: the first region). */
          stsRegion?: string;
          /** Endpoint overrides for every region (tests, VPC endpoints, sovereign partitions). */
          endpoints?: AwsEndpoints;
          /** Attempts per AWS call, with exponential backoff on throttling (default 5). */
          maxAttempts?: number;
          /** Labels added to every cluster of this account. */
          labels?: { [key: string]: string };
          /**
           * An IAM role per cluster role (least privilege), assumed with the base
           * credentials and mapped in each cluster by an EKS access entry: probe
           * and view with AmazonEKSViewPolicy (or a narrower Kubernetes group),
           * deploy with AmazonEKSEditPolicy. Roles not named use the account's identity.
           */
          clusterRoles?: {
            probe?: {
              roleArn: string;
              /** @visibility secret */
              externalId?: string;
            };
            view?: {
              roleArn: string;
              /** @visibility secret */
              externalId?: string;
            };
            deploy?: {
              roleArn: string;
              /** @visibility secret */
              externalId?: string;
            };
          };
        };
      };
    };
    /** Global DNS: the Route53 settings of `route53` zones (the DNS core reads the rest). */
    dns?: {
      zones?: Array<{
        /** The zone's name, e.g. `example.com`. */
        name: string;
        /** `route53` for the zones this module serves. */
        provider: string;
        /** With `provider: route53`: a key of `multicluster.providers.aws` whose credentials and `endpoints.route53` are used. */
        account?: string;
        /** With `provider: route53`: the hosted zone id, e.g. `Z0123456789ABC`. */
        hostedZoneId?: string;
      }>;
    };
    /** Environments as a Service on AWS (the aws component drivers). */
    environments?: {
      aws?: {
        /** Region environments are created in (default us-east-1). */
        region?: string;
        /** One endpoint for EC2, EKS, RDS and S3 (moto_server, LocalStack). */
        endpoint?: string;
        credentials?: {
          accessKeyId: string;
          /** @visibility secret */
          secretAccessKey: string;
          /** @visibility secret */
          sessionToken?: string;
        };
        /** IAM role of EKS control planes (needed by aws-eks). */
        clusterRoleArn?: string;
        /** IAM role of EKS node groups (needed by aws-eks). */
        nodeRoleArn?: string;
        /** Seconds between status polls of resources being created or deleted (default 15). */
        pollIntervalSeconds?: number;
      };
    };
  };
}
