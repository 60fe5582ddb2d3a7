/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomToken } from '../util';

const TOKEN = /^[\x21-\x7e]{16,4096}$/;

/**
 * The admin endpoint's token: the configured one; else the one kept in `file` (created with a
 * new random token, mode 0600, in a folder created with mode 0700, when it does not exist yet);
 * else a new random one for this process only.
 */
export async function resolveAdminToken(options: {
  token?: string;
  file?: string;
}): Promise<string> {
  if (options.token) return options.token;
  if (!options.file) return randomToken();
  const file = options.file;
  const read = async () => {
    const text = (await readFile(file, 'utf8')).trim();
    if (!TOKEN.test(text))
      throw new Error(
        `kube-emulator: the admin token file ${file} must hold one token of 16 to 4096 printable characters`,
      );
    // The file may have been created or copied with a wider mode: keep it private.
    await chmod(file, 0o600);
    return text;
  };
  try {
    return await read();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const token = randomToken();
  try {
    // wx: if another process created it meanwhile, use theirs.
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    return token;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw e;
  }
}
