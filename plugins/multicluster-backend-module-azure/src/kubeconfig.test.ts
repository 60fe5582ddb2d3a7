/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { readKubeconfigAuth } from './kubeconfig';

const CA = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
const b64 = (s: string) => Buffer.from(s).toString('base64');

function doc(users: string, current = 'ctx-a') {
  return `apiVersion: v1
kind: Config
current-context: ${current}
clusters:
- name: a
  cluster: { server: 'https://a:443', certificate-authority-data: ${b64(CA)} }
- name: b
  cluster: { server: 'https://b:443' }
contexts:
- name: ctx-a
  context: { cluster: a, user: user-a }
- name: ctx-b
  context: { cluster: b, user: user-b }
users:
${users}
`;
}

describe('readKubeconfigAuth', () => {
  it('reads the CA and token of the current context', () => {
    expect(
      readKubeconfigAuth(
        doc(
          `- name: user-b\n  user: { token: tb }\n- name: user-a\n  user: { token: ta }`,
        ),
      ),
    ).toEqual({
      caData: `${CA}\n`,
      credentials: { type: 'bearer', token: 'ta' },
      usesExecPlugin: false,
    });
  });

  it('follows current-context to another cluster and user', () => {
    expect(
      readKubeconfigAuth(
        doc(
          `- name: user-a\n  user: { token: ta }\n- name: user-b\n  user: { token: tb }`,
          'ctx-b',
        ),
      ),
    ).toEqual({
      caData: undefined,
      credentials: { type: 'bearer', token: 'tb' },
      usesExecPlugin: false,
    });
  });

  it('decodes client certificates to PEM', () => {
    const auth = readKubeconfigAuth(
      doc(
        `- name: user-a\n  user:\n    client-certificate-data: ${b64(
          'CERT',
        )}\n    client-key-data: ${b64('KEY')}`,
      ),
    );
    expect(auth.credentials).toEqual({
      type: 'clientCertificate',
      certData: 'CERT',
      keyData: 'KEY',
    });
  });

  it('recognises Entra ID (kubelogin) users, which carry no static credentials', () => {
    const auth = readKubeconfigAuth(
      doc(
        `- name: user-a\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin`,
      ),
    );
    expect(auth).toEqual({
      caData: `${CA}\n`,
      credentials: undefined,
      usesExecPlugin: true,
    });
  });

  it.each([['not: [valid'], ['just a string'], ['']])(
    'rejects %j without echoing it',
    text => {
      expect(() => readKubeconfigAuth(text)).toThrow(
        /not a (valid )?kubeconfig document/,
      );
    },
  );
});
