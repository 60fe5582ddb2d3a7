/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** IPv4 CIDR arithmetic for carving networks out of a pool. */
export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(
    text.trim(),
  );
  if (!m) throw new Error(`"${text}" is not an IPv4 CIDR such as 10.64.0.0/10`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some(o => o > 255) || prefix > 32)
    throw new Error(`"${text}" is not a valid IPv4 CIDR`);
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0)
    throw new Error(
      `"${text}" has host bits set; the network is ${formatCidr({
        base: address - (address % size),
        prefix,
      })}`,
    );
  return { base: address, prefix };
}

export function formatCidr({ base, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map(
    shift => Math.floor(base / 2 ** shift) % 256,
  );
  return `${octets.join('.')}/${prefix}`;
}

/** The `index`-th block of `prefix` inside `pool`, or undefined past the end. */
export function nthBlock(
  pool: Cidr,
  prefix: number,
  index: number,
): Cidr | undefined {
  if (prefix < pool.prefix) return undefined;
  const count = 2 ** (prefix - pool.prefix);
  if (index < 0 || index >= count) return undefined;
  return { base: pool.base + index * 2 ** (32 - prefix), prefix };
}

/** Splits a block into `count` equal subnets (count rounded up to a power of two). */
export function splitBlock(block: Cidr, count: number): Cidr[] {
  const bits = Math.ceil(Math.log2(Math.max(1, count)));
  const prefix = block.prefix + bits;
  if (prefix > 30)
    throw new Error(`cannot split ${formatCidr(block)} into ${count} subnets`);
  return Array.from({ length: count }, (_, i) => nthBlock(block, prefix, i)!);
}

/** A stable starting index for a name, so allocations spread instead of all probing from block 0. */
export function startIndexFor(name: string, blocks: number): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % blocks;
}
