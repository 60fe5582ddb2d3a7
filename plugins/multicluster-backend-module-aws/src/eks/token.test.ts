/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { createHash, createHmac } from 'node:crypto';
import {
  awsDnsSuffix,
  createEksCredentialsResolver,
  createEksToken,
  EKS_TOKEN_LIFETIME_MS,
  EKS_TOKEN_RENEW_BEFORE_MS,
  stsEndpointFor,
} from './token';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const SIGNING_DATE = new Date('2026-01-02T03:04:05Z');

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const payload = token.slice('k8s-aws-v1.'.length);
  expect(payload).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(payload, 'base64url').toString('utf8'));
}

// RFC 3986 encoding as SigV4 canonicalisation requires.
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) =>
  createHash('sha256').update(data).digest('hex');

/**
 * An independent SigV4 query-signature check, written from the AWS documentation
 * ("Authenticating requests: using query parameters"), for what STS does with the
 * URL when EKS forwards it.
 */
function verifyPresignedUrl(
  url: URL,
  headers: Record<string, string>,
  secretAccessKey: string,
): boolean {
  const params = [...url.searchParams.entries()];
  const signature = url.searchParams.get('X-Amz-Signature');
  const [, date, region, service, terminator] = url.searchParams
    .get('X-Amz-Credential')!
    .split('/');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')!.split(';');
  const canonicalQuery = params
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map(h => `${h}:${headers[h].trim()}\n`)
    .join('');
  const canonicalRequest = [
    'GET',
    url.pathname,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    sha256(''),
  ].join('\n');
  const scope = `${date}/${region}/${service}/${terminator}`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    url.searchParams.get('X-Amz-Date'),
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service),
    terminator,
  );
  return (
    createHmac('sha256', key).update(stringToSign).digest('hex') === signature
  );
}

describe('awsDnsSuffix / stsEndpointFor', () => {
  it.each([
    ['us-east-1', 'https://sts.us-east-1.amazonaws.com/'],
    ['eu-central-2', 'https://sts.eu-central-2.amazonaws.com/'],
    ['cn-northwest-1', 'https://sts.cn-northwest-1.amazonaws.com.cn/'],
    ['us-gov-west-1', 'https://sts.us-gov-west-1.amazonaws.com/'],
    ['us-iso-east-1', 'https://sts.us-iso-east-1.c2s.ic.gov/'],
    ['us-isob-east-1', 'https://sts.us-isob-east-1.sc2s.sgov.gov/'],
  ])('%s → %s', (region, expected) => {
    expect(stsEndpointFor(region).href).toBe(expected);
    expect(stsEndpointFor(region).host.endsWith(awsDnsSuffix(region))).toBe(
      true,
    );
  });

  it('uses an override, with {region} replaced', () => {
    expect(
      stsEndpointFor(
        'eu-west-1',
        'https://vpce-1.sts.{region}.vpce.amazonaws.com',
      ).href,
    ).toBe('https://vpce-1.sts.eu-west-1.vpce.amazonaws.com/');
  });
});

describe('createEksToken', () => {
  it('presigns GetCallerIdentity on the regional STS endpoint with the cluster header signed', async () => {
    const { token, expiresAt } = await createEksToken({
      clusterId: 'payments',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      signingDate: SIGNING_DATE,
    });
    const url = decode(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260102/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20260102T030405Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(expiresAt).toEqual(
      new Date(SIGNING_DATE.getTime() + EKS_TOKEN_LIFETIME_MS),
    );

    const headers = {
      host: 'sts.eu-west-1.amazonaws.com',
      'x-k8s-aws-id': 'payments',
    };
    expect(verifyPresignedUrl(url, headers, CREDENTIALS.secretAccessKey)).toBe(
      true,
    );
    // The token is bound to its cluster and to the secret.
    expect(
      verifyPresignedUrl(
        url,
        { ...headers, 'x-k8s-aws-id': 'other' },
        CREDENTIALS.secretAccessKey,
      ),
    ).toBe(false);
    expect(verifyPresignedUrl(url, headers, 'not-the-secret')).toBe(false);
  });

  it('carries the session token of temporary credentials and expires with them', async () => {
    const expiration = new Date(SIGNING_DATE.getTime() + 5 * 60_000);
    const { token, expiresAt } = await createEksToken({
      clusterId: 'c',
      region: 'us-east-1',
      credentials: {
        ...CREDENTIALS,
        sessionToken: 'FwoGZXIvYXdzE+/=session',
        expiration,
      },
      signingDate: SIGNING_DATE,
    });
    const url = decode(token);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(
      'FwoGZXIvYXdzE+/=session',
    );
    expect(
      verifyPresignedUrl(
        url,
        { host: url.host, 'x-k8s-aws-id': 'c' },
        CREDENTIALS.secretAccessKey,
      ),
    ).toBe(true);
    expect(expiresAt).toEqual(expiration);
  });

  it('signs for an endpoint override, port included', async () => {
    const { token } = await createEksToken({
      clusterId: 'c',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      stsEndpoint: 'http://127.0.0.1:4566',
      signingDate: SIGNING_DATE,
    });
    const url = decode(token);
    expect(url.origin).toBe('http://127.0.0.1:4566');
    expect(
      verifyPresignedUrl(
        url,
        { host: '127.0.0.1:4566', 'x-k8s-aws-id': 'c' },
        CREDENTIALS.secretAccessKey,
      ),
    ).toBe(true);
  });
});

describe('createEksCredentialsResolver', () => {
  it('reuses a token until shortly before it expires, then signs a new one', async () => {
    let now = SIGNING_DATE.getTime();
    const credentials = jest.fn(async () => CREDENTIALS);
    const resolve = createEksCredentialsResolver({
      clusterId: 'c',
      region: 'us-east-1',
      credentials,
      now: () => new Date(now),
    });

    const first = await resolve();
    expect(first).toMatchObject({
      type: 'bearer',
      expiresAt: new Date(now + EKS_TOKEN_LIFETIME_MS),
    });

    now += EKS_TOKEN_LIFETIME_MS - EKS_TOKEN_RENEW_BEFORE_MS - 1000;
    expect(await resolve()).toEqual(first);
    expect(credentials).toHaveBeenCalledTimes(1);

    now += 2000;
    const second = await resolve();
    expect(second).not.toEqual(first);
    if (second.type !== 'bearer') throw new Error('bearer expected');
    expect(decode(second.token).searchParams.get('X-Amz-Date')).toBe(
      '20260102T031706Z',
    );
    expect(credentials).toHaveBeenCalledTimes(2);
  });

  it('shares one signing between concurrent callers', async () => {
    const credentials = jest.fn(async () => CREDENTIALS);
    const resolve = createEksCredentialsResolver({
      clusterId: 'c',
      region: 'us-east-1',
      credentials,
    });
    const tokens = await Promise.all([resolve(), resolve(), resolve()]);
    expect(new Set(tokens.map(t => JSON.stringify(t))).size).toBe(1);
    expect(credentials).toHaveBeenCalledTimes(1);
  });

  it('passes credential failures on and recovers on the next call', async () => {
    const credentials = jest
      .fn()
      .mockRejectedValueOnce(
        new Error('AccessDenied: not authorized to perform sts:AssumeRole'),
      )
      .mockResolvedValue(CREDENTIALS);
    const resolve = createEksCredentialsResolver({
      clusterId: 'c',
      region: 'us-east-1',
      credentials,
    });
    await expect(resolve()).rejects.toThrow('AccessDenied');
    await expect(resolve()).resolves.toMatchObject({ type: 'bearer' });
  });

  it('stops on an aborted signal', async () => {
    const resolve = createEksCredentialsResolver({
      clusterId: 'c',
      region: 'us-east-1',
      credentials: async () => CREDENTIALS,
    });
    await expect(resolve({ signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
