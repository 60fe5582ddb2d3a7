/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secret capabilities at rest. The key is derived with HKDF
 * from `multicluster.environments.secretKey`, so any long random string works
 * and the raw config value never touches the cipher. Each value is bound to
 * its reference as additional authenticated data: a ciphertext copied to
 * another environment's row does not decrypt.
 *
 * Sealed format: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url), where keyId
 * is a short fingerprint of the derived key, so a changed secretKey gives a
 * clear error instead of a decryption failure.
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(secretKey: string) {
    if (secretKey.length < 32) {
      throw new Error(
        'multicluster.environments.secretKey must be at least 32 characters',
      );
    }
    this.key = Buffer.from(
      hkdfSync(
        'sha256',
        secretKey,
        'archipelago.multicluster.environments',
        'secret-capabilities',
        32,
      ),
    );
    this.keyId = createHash('sha256')
      .update(this.key)
      .digest('hex')
      .slice(0, 8);
  }

  seal(plaintext: string, reference: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(reference, 'utf8'));
    const data = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.keyId,
      iv.toString('base64url'),
      tag.toString('base64url'),
      data.toString('base64url'),
    ].join('.');
  }

  open(sealed: string, reference: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new Error(`secret ${reference} is not in a known format`);
    }
    const [, keyId, iv, tag, data] = parts;
    if (keyId !== this.keyId) {
      throw new Error(
        `secret ${reference} was encrypted with another multicluster.environments.secretKey (key ${keyId}, current ${this.keyId})`,
      );
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.key,
      Buffer.from(iv, 'base64url'),
      {
        authTagLength: TAG_BYTES,
      },
    );
    decipher.setAAD(Buffer.from(reference, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new Error(
        `secret ${reference} failed authentication (tampered, or moved from another record)`,
      );
    }
  }
}

/** The reference that stands for a secret capability everywhere outside the engine. */
export function secretReference(
  environment: string,
  component: string,
  capability: string,
): string {
  return `multicluster:environment/${environment}/${component}/${capability}`;
}

const REFERENCE = /^multicluster:environment\/([^/]+)\/([^/]+)\/([^/]+)$/;

export function parseSecretReference(
  reference: string,
): { environment: string; component: string; capability: string } | undefined {
  const m = REFERENCE.exec(reference);
  return m
    ? { environment: m[1], component: m[2], capability: m[3] }
    : undefined;
}
