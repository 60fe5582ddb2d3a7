/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { checkParsedManifests, checkRawManifests } from './manifestLimits';

const limits = {
  manifestsBytes: 1000,
  manifestsObjects: 3,
  manifestObjectBytes: 400,
};
const object = (size: number) => ({
  kind: 'ConfigMap',
  data: { x: 'a'.repeat(size) },
});

describe('manifest limits', () => {
  it('passes what is within every limit, in both forms', () => {
    expect(() => checkRawManifests('kind: ConfigMap', limits)).not.toThrow();
    expect(() =>
      checkRawManifests([object(10), object(10)], limits),
    ).not.toThrow();
    expect(() => checkParsedManifests([object(10)], limits)).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    [
      'YAML text over the byte limit',
      'a'.repeat(1001),
      /manifests: YAML text of 1001 is over the limit of 1000 \(multicluster.limits.manifestsBytes\)/,
    ],
    [
      'too many objects (the 9 MB list of the issue, small)',
      [object(1), object(1), object(1), object(1)],
      /a list of 4 is over the limit of 3 \(multicluster.limits.manifestsObjects\)/,
    ],
    [
      'one object over the per-object limit',
      [object(10), object(500)],
      /manifests.1 is \d+ bytes, over the limit of 400 per object \(multicluster.limits.manifestObjectBytes\)/,
    ],
    [
      'objects over the total',
      [object(350), object(350), object(350)],
      /a total of \d+ is over the limit of 1000 \(multicluster.limits.manifestsBytes\)/,
    ],
  ])('refuses %s, naming the limit and its value', (_name, value, message) => {
    expect(() => checkRawManifests(value, limits)).toThrow(message);
  });

  it('bounds what YAML text parsed into', () => {
    expect(() =>
      checkParsedManifests(
        [object(1), object(1), object(1), object(1)],
        limits,
      ),
    ).toThrow(/a count of 4 is over the limit of 3/);
  });
});
