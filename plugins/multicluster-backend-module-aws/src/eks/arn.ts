/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** The parts of an EKS cluster ARN. */
export interface EksClusterArn {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

const EKS_ARN = /^arn:(aws[a-z-]*):eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/;

/** Parses `arn:aws:eks:REGION:ACCOUNT:cluster/NAME`; undefined for anything else. */
export function parseEksClusterArn(arn: string): EksClusterArn | undefined {
  const m = EKS_ARN.exec(arn);
  if (!m) {
    return undefined;
  }
  return { partition: m[1], region: m[2], accountId: m[3], name: m[4] };
}
