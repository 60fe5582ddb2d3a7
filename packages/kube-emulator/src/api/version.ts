/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash } from 'node:crypto';
import { ResolvedClusterOptions } from '../options';

const cache = new Map<string, Record<string, string>>();

/** The /version answer (version.Info) for a configured server version (shared, frozen). */
export function versionInfo(
  version: ResolvedClusterOptions['version'],
): Record<string, string> {
  const key = JSON.stringify(version);
  let info = cache.get(key);
  if (!info) {
    info = Object.freeze(build(version)) as Record<string, string>;
    cache.set(key, info);
  }
  return info;
}

function build(
  version: ResolvedClusterOptions['version'],
): Record<string, string> {
  const git = version.gitVersion;
  const [, major, minor, suffix] = /^v(\d+)\.(\d+)\.\d+(.*)$/.exec(git) ?? [];
  return {
    major: major ?? '1',
    minor: `${minor ?? '31'}${suffix ? '+' : ''}`,
    gitVersion: git,
    gitCommit:
      version.gitCommit ?? createHash('sha1').update(git).digest('hex'),
    gitTreeState: 'clean',
    buildDate: version.buildDate ?? '2024-12-10T11:43:40Z',
    goVersion: version.goVersion,
    compiler: 'gc',
    platform: version.platform,
  };
}
