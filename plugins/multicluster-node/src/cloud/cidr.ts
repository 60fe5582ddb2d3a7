/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import ipaddr from 'ipaddr.js';

/**
 * An IPv4 block as numbers, so blocks can be counted and indexed.
 * @public
 */
export interface Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  /** Prefix length, 0-32. */
  prefix: number;
}

const toNumber = (address: ipaddr.IPv4) =>
  address.toByteArray().reduce((acc, octet) => acc * 256 + octet, 0);

const fromNumber = (value: number) =>
  ipaddr.fromByteArray(
    [24, 16, 8, 0].map(shift => Math.floor(value / 2 ** shift) % 256),
  ) as ipaddr.IPv4;

const blockSize = (prefix: number) => 2 ** (32 - prefix);

/**
 * Parses `10.64.0.0/10`. Only four-part decimal addresses are accepted (no
 * `0x0a.0.0.0`), and a block with host bits set is refused, naming its network.
 * @public
 */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const [address = '', prefix = ''] = trimmed.split('/');
  let parsed: [ipaddr.IPv4, number];
  try {
    if (
      !ipaddr.IPv4.isValidFourPartDecimal(address) ||
      !/^\d{1,2}$/.test(prefix)
    )
      throw new Error();
    parsed = ipaddr.IPv4.parseCIDR(trimmed);
  } catch {
    throw new Error(`"${text}" is not an IPv4 CIDR such as 10.64.0.0/10`);
  }
  const network = ipaddr.IPv4.networkAddressFromCIDR(trimmed);
  if (network.toString() !== parsed[0].toString()) {
    throw new Error(
      `"${text}" has host bits set; the network is ${network}/${parsed[1]}`,
    );
  }
  return { base: toNumber(parsed[0]), prefix: parsed[1] };
}

/** `{ base, prefix }` back to `10.64.0.0/10`. @public */
export function formatCidr({ base, prefix }: Cidr): string {
  return `${fromNumber(base)}/${prefix}`;
}

/** The `index`-th block of `prefix` inside `pool`, or undefined past the end. @public */
export function nthBlock(
  pool: Cidr,
  prefix: number,
  index: number,
): Cidr | undefined {
  if (prefix < pool.prefix || prefix > 32) return undefined;
  const count = 2 ** (prefix - pool.prefix);
  if (index < 0 || index >= count) return undefined;
  return { base: pool.base + index * blockSize(prefix), prefix };
}

/** True when two blocks share an address. @public */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return (
    a.base < b.base + blockSize(b.prefix) &&
    b.base < a.base + blockSize(a.prefix)
  );
}

/**
 * Splits a block into `count` equal subnets (count rounded up to a power of
 * two), refusing subnets smaller than `/maxPrefix` (28 by default: AWS and
 * Azure reject smaller subnets).
 * @public
 */
export function splitCidr(
  cidr: string | Cidr,
  count: number,
  options: { maxPrefix?: number } = {},
): string[] {
  const block = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  const prefix = block.prefix + Math.ceil(Math.log2(Math.max(1, count)));
  if (prefix > (options.maxPrefix ?? 28)) {
    throw new Error(`${formatCidr(block)} is too small for ${count} subnets`);
  }
  return Array.from({ length: count }, (_, i) =>
    formatCidr(nthBlock(block, prefix, i)!),
  );
}
