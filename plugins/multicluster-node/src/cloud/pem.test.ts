/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { decodeCaBundle } from './pem';

const cert = (body: string) =>
  `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('decodeCaBundle', () => {
  it.each([
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['one certificate', b64(cert('AAAA')), `${cert('AAAA')}\n`],
    [
      'a bundle, CRLF',
      b64(`${cert('AAAA')}\r\n${cert('BBBB')}\r\n`),
      `${cert('AAAA')}\n${cert('BBBB')}\n`,
    ],
    [
      'not PEM (moto fills in random text)',
      'ZY7YYlzzyZZ1jjTFaQ42Etwbykjtwdv4zeNl',
      undefined,
    ],
    [
      'a private key only',
      b64('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
      undefined,
    ],
  ])('%s', (_name, input, expected) => {
    expect(decodeCaBundle(input)).toBe(expected);
  });
});
