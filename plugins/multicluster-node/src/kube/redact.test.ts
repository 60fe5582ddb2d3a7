/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  hasSecretDataRemoved,
  Redactor,
  REDACTED,
  secretValues,
  withoutSecretData,
} from './redact';

const pem =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'tls' },
  data: {
    'tls.key': Buffer.from(pem).toString('base64'),
    short: Buffer.from('ab').toString('base64'),
  },
  stringData: { password: 'hunter2-hunter2' },
};

describe('secret redaction', () => {
  it('collects base64, decoded, stringData and multi-line values of Secrets only', () => {
    const values = secretValues([
      secret,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
        data: { visible: 'not-a-secret' },
      },
    ]);
    expect(values).toEqual(
      expect.arrayContaining([
        secret.data['tls.key'],
        pem,
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
        'hunter2-hunter2',
      ]),
    );
    expect(values).not.toContain('not-a-secret');
    // Two characters are no secret worth mangling every message for.
    expect(values).not.toContain('ab');
  });

  it('redacts every occurrence, longest value first', () => {
    const redactor = new Redactor(secretValues([secret]));
    expect(
      redactor.redact('password hunter2-hunter2, again hunter2-hunter2'),
    ).toBe(`password ${REDACTED}, again ${REDACTED}`);
    expect(redactor.redact(`error near ${pem}`)).toBe(`error near ${REDACTED}`);
    expect(
      redactor.redact('line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC leaked'),
    ).toBe(`line ${REDACTED} leaked`);
    redactor.add(['later-added-value']);
    expect(redactor.redact('x later-added-value y')).toBe(`x ${REDACTED} y`);
  });

  it('finds the values kubectl apply keeps in its last-applied annotation, and strips them for storage', () => {
    const applied = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        labels: { a: 'b' },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            kind: 'Secret',
            stringData: { password: 'from-annotation-1' },
          }),
          keep: 'me',
        },
      },
      data: { password: Buffer.from('from-annotation-1').toString('base64') },
    };
    expect(secretValues([applied])).toContain('from-annotation-1');
    const stored = withoutSecretData(applied);
    expect(JSON.stringify(stored)).not.toContain('from-annotation-1');
    expect(stored.metadata).toEqual({
      name: 'db',
      labels: { a: 'b' },
      annotations: { keep: 'me' },
    });
  });

  it('strips Secret data for storage and marks it', () => {
    const stored = withoutSecretData(secret);
    expect(stored).not.toHaveProperty('data');
    expect(stored).not.toHaveProperty('stringData');
    expect(JSON.stringify(stored)).not.toContain('hunter2');
    expect(hasSecretDataRemoved(stored)).toBe(true);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: 'b' },
    };
    expect(withoutSecretData(cm)).toBe(cm);
    expect(hasSecretDataRemoved(cm)).toBe(false);
  });
});
