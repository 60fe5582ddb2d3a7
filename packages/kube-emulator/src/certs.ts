/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { isIPv4 } from 'node:net';
import { promisify } from 'node:util';

// Certificates are written with a small DER encoder and signed by node:crypto (ECDSA P-256,
// SHA-256). Building them with an ASN.1 object library cost ~5 ms per cluster, most of a
// 1,000-cluster fleet's start; this costs a few hundred microseconds.

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY = 24 * 60 * 60 * 1000;

/** PEM material of one cluster: its CA and the serving certificate the CA signed. */
export interface ClusterCertificates {
  caCertPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

// ---- DER ----------------------------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const explicit = (n: number, c: Buffer) => tlv(0xa0 + n, c);

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
  if (b[0] >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime after, as RFC 5280 requires. */
function time(d: Date): Buffer {
  const iso = d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2)))
    : tlv(0x18, Buffer.from(iso));
}

function name(cn: string, org?: string): Buffer {
  const rdns = [set(seq(oid('2.5.4.3'), utf8(cn)))];
  if (org) rdns.unshift(set(seq(oid('2.5.4.10'), utf8(org))));
  return seq(...rdns);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? seq(oid(id), bool(true), octets(value))
    : seq(oid(id), octets(value));
}

/** A KeyUsage BIT STRING from bit numbers (0 = digitalSignature, 2 = keyEncipherment, 5 = keyCertSign, 6 = cRLSign). */
function keyUsage(bits: number[]): Buffer {
  let v = 0;
  for (const b of bits) v |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && !(v & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, v]));
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  // Only ::1 is needed here; expand "::" generally anyway.
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function keyId(spki: Buffer): Buffer {
  // RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (the last 65 bytes of
  // an uncompressed P-256 SPKI).
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

interface CertSpec {
  serial: Buffer;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
}

function certificate(spec: CertSpec): string {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(spec.serial),
    ECDSA_SHA256,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spki,
    explicit(3, seq(...spec.extensions)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join(
    '\n',
  )}\n-----END CERTIFICATE-----\n`;
}

function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

async function ecKeys() {
  return generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
}

const SANS = {
  ips: ['127.0.0.1', '::1'],
  dns: [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
  ],
};

function servingCertificate(options: {
  caKey: KeyObject;
  caPublic: KeyObject;
  caName: Buffer;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}): string {
  const caSpki = options.caPublic.export({ type: 'spki', format: 'der' });
  const ownSpki = options.publicKey.export({ type: 'spki', format: 'der' });
  // Clients verify the IP they dialled; Go ignores the CN, so the SANs are what count.
  const san = seq(
    ...SANS.ips.map(ip => tlv(0x87, ipBytes(ip))),
    ...SANS.dns.map(d => tlv(0x82, Buffer.from(d, 'ascii'))),
  );
  return certificate({
    serial: serial(),
    issuer: options.caName,
    subject: name('kube-apiserver'),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: options.publicKey,
    signingKey: options.caKey,
    extensions: [
      extension('2.5.29.15', true, keyUsage([0, 2])),
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
      extension('2.5.29.19', true, seq()),
      extension('2.5.29.35', false, seq(tlv(0x80, keyId(caSpki)))),
      extension('2.5.29.14', false, octets(keyId(ownSpki))),
      extension('2.5.29.17', false, san),
    ],
  });
}

function caName(clusterName: string) {
  return name(`${clusterName}-ca`, 'kube-emulator');
}

/** Creates a fresh self-signed CA and a serving certificate for 127.0.0.1/localhost. */
export async function createClusterCertificates(
  clusterName: string,
): Promise<ClusterCertificates> {
  const now = Date.now();
  const [ca, server] = await Promise.all([ecKeys(), ecKeys()]);
  const caSpki = ca.publicKey.export({ type: 'spki', format: 'der' });
  const issuer = caName(clusterName);
  const caCertPem = certificate({
    serial: serial(),
    issuer,
    subject: issuer,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      extension('2.5.29.15', true, keyUsage([0, 5, 6])),
      extension('2.5.29.19', true, seq(bool(true))),
      extension('2.5.29.14', false, octets(keyId(caSpki))),
    ],
  });
  const certPem = servingCertificate({
    caKey: ca.privateKey,
    caPublic: ca.publicKey,
    caName: issuer,
    publicKey: server.publicKey,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
  });
  return {
    caCertPem,
    caKeyPem: ca.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certPem,
    keyPem: server.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string,
  };
}

/**
 * Signs a serving certificate whose validity ended yesterday, with the cluster's own CA and key,
 * so a client sees exactly an expired certificate (not an unknown authority).
 */
export async function createExpiredCertificate(
  certs: ClusterCertificates,
  clusterName: string,
): Promise<{ certPem: string; keyPem: string }> {
  const now = Date.now();
  const caKey = createPrivateKey(certs.caKeyPem);
  const { publicKey, privateKey } = await ecKeys();
  const certPem = servingCertificate({
    caKey,
    caPublic: createPublicKey(caKey),
    caName: caName(clusterName),
    publicKey,
    notBefore: new Date(now - 30 * DAY),
    notAfter: new Date(now - DAY),
  });
  return {
    certPem,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
