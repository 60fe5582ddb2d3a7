/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { redactText, redactUrl } from './redact';

describe('redact', () => {
  it('strips userinfo from URLs', () => {
    expect(redactUrl('https://u:p@example.com/x')).toBe(
      'https://example.com/x',
    );
    expect(redactUrl('https://example.com/x')).toBe('https://example.com/x');
  });

  it.each([
    ['Authorization: Bearer abcdefghijklmnop', 'abcdefghijklmnop'],
    ['token=s3cr3t-value', 's3cr3t-value'],
    ['"password": "hunter22"', 'hunter22'],
    [
      'got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0xx.sig from server',
      'eyJhbGciOiJSUzI1NiJ9',
    ],
    ['k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9u', 'aHR0cHM6Ly9zdHMuYW1hem9u'],
    [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      'MIIE',
    ],
    ['proxy https://bob:pw123@proxy.local', 'pw123'],
  ])('scrubs %s', (text, secret) => {
    expect(redactText(text)).not.toContain(secret);
  });

  it('scrubs known secrets verbatim', () => {
    expect(redactText('the value plainword42 leaked', ['plainword42'])).toBe(
      'the value [redacted] leaked',
    );
  });
});
