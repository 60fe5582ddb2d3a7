/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { parse } from 'yaml';
import {
  type ClusterCredentials,
  decodeCaBundle,
} from '@archipelago/multicluster-node';

/** What a kubeconfig from listClusterUserCredentials holds for its current context. */
export interface KubeconfigAuth {
  /** PEM CA bundle of the API server. */
  caData?: string;
  /** Static user credentials; undefined when the user authenticates with an exec plugin (Entra ID). */
  credentials?: ClusterCredentials;
  /** True when the user entry runs a credential plugin (kubelogin): the cluster uses Entra ID. */
  usesExecPlugin: boolean;
}

type Named<T> = { name?: string } & T;
interface Kubeconfig {
  'current-context'?: string;
  contexts?: Array<Named<{ context?: { cluster?: string; user?: string } }>>;
  clusters?: Array<
    Named<{ cluster?: { 'certificate-authority-data'?: string } }>
  >;
  users?: Array<
    Named<{
      user?: {
        token?: string;
        'client-certificate-data'?: string;
        'client-key-data'?: string;
        exec?: unknown;
        'auth-provider'?: unknown;
      };
    }>
  >;
}

/**
 * Reads the CA and user credentials of a kubeconfig's current context (or its only
 * cluster and user). Throws a message that never includes the document, which holds
 * credentials.
 */
export function readKubeconfigAuth(text: string): KubeconfigAuth {
  let doc: Kubeconfig;
  try {
    doc = parse(text) as Kubeconfig;
  } catch {
    throw new Error(
      'the cluster credentials are not a valid kubeconfig document',
    );
  }
  if (!doc || typeof doc !== 'object') {
    throw new Error('the cluster credentials are not a kubeconfig document');
  }
  const context =
    doc.contexts?.find(c => c.name === doc['current-context'])?.context ??
    doc.contexts?.[0]?.context;
  const cluster =
    doc.clusters?.find(c => c.name === context?.cluster)?.cluster ??
    doc.clusters?.[0]?.cluster;
  const user =
    doc.users?.find(u => u.name === context?.user)?.user ??
    doc.users?.[0]?.user;

  const caData = decodeCaBundle(cluster?.['certificate-authority-data']);
  const usesExecPlugin = !!(user?.exec || user?.['auth-provider']);
  let credentials: ClusterCredentials | undefined;
  if (user?.token) {
    credentials = { type: 'bearer', token: user.token };
  } else if (user?.['client-certificate-data'] && user['client-key-data']) {
    credentials = {
      type: 'clientCertificate',
      certData: Buffer.from(user['client-certificate-data'], 'base64').toString(
        'utf8',
      ),
      keyData: Buffer.from(user['client-key-data'], 'base64').toString('utf8'),
    };
  }
  return { caData, credentials, usesExecPlugin };
}
