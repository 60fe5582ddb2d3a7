/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Starts and stops the example portal (`npm start`) for browser tests, and
// launches Debian's chromium through playwright-core.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const artifactsDir = path.join(repoRoot, 'test/e2e/artifacts');
export const FRONTEND = 'http://localhost:3000';
export const BACKEND = 'http://localhost:7007';

async function waitFor(url, deadline, isReady) {
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (await isReady(res)) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String(e?.cause?.code ?? e?.message ?? e);
    }
    await sleep(1000);
  }
  throw new Error(`${url} not ready in time (last: ${last})`);
}

/** Runs `npm start` in its own process group; resolves when both halves answer. */
export async function startPortal({ timeoutMs = 8 * 60_000 } = {}) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const log = fs.createWriteStream(path.join(artifactsDir, 'portal.log'));
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, BROWSER: 'none', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    await Promise.race([
      (async () => {
        await waitFor(
          `${BACKEND}/api/catalog/entities?limit=1`,
          deadline,
          r => r.status === 401 || r.ok,
        );
        await waitFor(
          FRONTEND,
          deadline,
          async r => r.ok && (await r.text()).includes('<div id="root">'),
        );
      })(),
      (async () => {
        while (!exited) await sleep(500);
        throw new Error(
          'npm start exited early; see test/e2e/artifacts/portal.log',
        );
      })(),
    ]);
  } catch (e) {
    await stopPortal(child);
    throw e;
  }
  return child;
}

/** Stops the whole process group; SIGKILL after a grace period (a backend may hang in shutdown). */
export async function stopPortal(child, graceMs = 10_000) {
  const signal = sig => {
    try {
      process.kill(-child.pid, sig);
      return true;
    } catch {
      return false; // already gone
    }
  };
  if (!signal('SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(250);
    if (!signal(0)) return;
  }
  signal('SIGKILL');
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Signs in as guest when the sign-in page shows. */
export async function signIn(page) {
  await page.goto(FRONTEND);
  const enter = page.getByRole('button', { name: /enter/i });
  try {
    await enter.waitFor({ timeout: 30_000 });
    await enter.click();
  } catch {
    // no sign-in page: already signed in
  }
}

// ---------------------------------------------------------------------------
// Helpers for the multicluster browser tests (issue 7).

/** The emulated fleet's admin endpoint (packages/kube-emulator/src/admin.ts), 127.0.0.1 only. */
export const ADMIN = 'http://127.0.0.1:7008';

/**
 * The admin endpoint's bearer token: `multicluster.providers.emulator.adminToken`
 * from the environment, else the one the local module generated and keeps in
 * `<dataDir>/emulator/admin-token` (mode 0600). Read at each call: the file
 * appears when the backend first starts the fleet.
 */
export function adminToken() {
  const fromEnv =
    process.env.APP_CONFIG_multicluster_providers_emulator_adminToken;
  if (fromEnv) return fromEnv;
  try {
    return fs
      .readFileSync(
        path.join(localDataDir(), 'emulator', 'admin-token'),
        'utf8',
      )
      .trim();
  } catch {
    return undefined; // not generated yet: the backend is still starting
  }
}

/**
 * Calls the fleet's admin endpoint with its token; throws with the body on a
 * non-2xx answer. While the backend restarts (watch mode) the endpoint is
 * briefly down, so a refused connection is retried for up to `retryMs`.
 * Writes always say `Content-Type: application/json`, bodiless ones too: the
 * endpoint refuses any other type (415), as HTML forms could send it.
 */
export async function admin(method, pathname, body, { retryMs = 90_000 } = {}) {
  const deadline = Date.now() + retryMs;
  let res;
  for (;;) {
    const token = adminToken();
    try {
      if (!token) {
        throw Object.assign(new Error('no admin token yet'), {
          cause: { code: 'ECONNREFUSED' },
        });
      }
      res = await fetch(`${ADMIN}${pathname}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(method === 'GET' || method === 'HEAD'
            ? {}
            : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      break;
    } catch (e) {
      if (e?.cause?.code !== 'ECONNREFUSED' || Date.now() > deadline) throw e;
      await sleep(2000);
    }
  }
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `${method} ${ADMIN}${pathname}: HTTP ${res.status} ${text}`,
    );
  return text ? JSON.parse(text) : undefined;
}

/** A new page (1400 wide) signed in as guest, with a generous default timeout. */
export async function newSignedInPage(browser, watch) {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 1000 },
  });
  page.setDefaultTimeout(60_000);
  watch?.attach(page);
  // Signing in needs the auth backend, which may be restarting (watch mode): retry.
  for (let attempt = 1; ; attempt++) {
    await signIn(page);
    try {
      await page
        .getByRole('button', { name: /enter/i })
        .waitFor({ state: 'detached', timeout: 20_000 });
      await page
        .getByRole('link', { name: 'Create', exact: true })
        .first()
        .waitFor({ timeout: 30_000 });
      return page;
    } catch (e) {
      if (attempt >= 3) throw e;
      await sleep(5000);
    }
  }
}

/**
 * Opens `url` and waits for `ready` (a locator). The backend runs in watch
 * mode and restarts when other engineers save files, so a load that does not
 * become ready is retried a few times; the last error is thrown as is.
 */
export async function gotoReady(
  page,
  url,
  ready,
  { attempts = 2, timeout = 30_000 } = {},
) {
  let last;
  for (let i = 0; i < attempts; i++) {
    try {
      await page.goto(url.startsWith('http') ? url : `${FRONTEND}${url}`);
      await ready.waitFor({ timeout });
      return;
    } catch (e) {
      last = e;
      await sleep(3000);
    }
  }
  throw last;
}

/** Polls `check` (async, returns truthy when done) until it passes or `timeoutMs` elapses. */
export async function eventually(
  check,
  { timeoutMs, intervalMs = 5000, what },
) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const result = await check();
      if (result) return result;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${
          last ? `: ${last.message ?? last}` : ''
        }`,
      );
    }
    await sleep(intervalMs);
  }
}

/** The local module's data folder, as app-config.yaml sets it (relative to packages/backend). */
export function localDataDir() {
  const setting = /^\s*dataDir:\s*['"]?([^'"\s#]+)/m.exec(readAppConfig())?.[1];
  return setting
    ? path.resolve(repoRoot, 'packages/backend', setting)
    : path.join(os.tmpdir(), 'archipelago-environments');
}

function readAppConfig() {
  try {
    // eslint-disable-next-line no-restricted-syntax
    const text = fs.readFileSync(
      path.join(repoRoot, 'app-config.yaml'),
      'utf8',
    );
    return text;
  } catch {
    return '';
  }
}

/** Secret-looking string values (passwords, tokens, keys) anywhere in a JSON value. */
function collectSecretValues(value, out, key = '') {
  if (typeof value === 'string') {
    if (
      /password|token|secret|privatekey|^key$/i.test(key) &&
      value.length >= 8
    )
      out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectSecretValues(v, out, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecretValues(v, out, k);
  }
}

function walkJsonFiles(dir, visit, depth = 0) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (
      e.isDirectory() &&
      depth < 4 &&
      e.name !== 'data' &&
      e.name !== 'pgdata'
    )
      walkJsonFiles(p, visit, depth + 1);
    else if (e.isFile() && e.name.endsWith('.json')) visit(p);
  }
}

/**
 * The real secret values the backend holds, read from the backend side:
 * the emulated clusters' bearer tokens of every role and the admin
 * endpoint's own token, the environments
 * secret key (app-config or APP_CONFIG_ env), and the passwords and tokens
 * in the environments' local data directory (embedded PostgreSQL
 * instance.json, emulated cluster persistence files).
 */
export async function backendSecrets() {
  const secrets = new Set();
  try {
    const { items } = await admin('GET', '/clusters', undefined, {
      retryMs: 30_000,
    });
    for (const c of items) {
      for (const token of Object.values(c.tokens ?? {})) secrets.add(token);
      if (c.adminToken) secrets.add(c.adminToken);
      if (c.readOnlyToken) secrets.add(c.readOnlyToken);
    }
  } catch {
    // the backend is restarting; the caller collects again later
  }
  const token = adminToken();
  if (token) secrets.add(token);
  const config = readAppConfig();
  const key = /^\s*secretKey:\s*['"]?([^'"\s#]+)/m.exec(config)?.[1];
  if (key && !key.startsWith('${')) secrets.add(key);
  if (process.env.APP_CONFIG_multicluster_environments_secretKey) {
    secrets.add(process.env.APP_CONFIG_multicluster_environments_secretKey);
  }
  walkJsonFiles(localDataDir(), file => {
    try {
      collectSecretValues(JSON.parse(fs.readFileSync(file, 'utf8')), secrets);
    } catch {
      // not JSON or being written
    }
  });
  return secrets;
}

/** Keys whose string value would be a leaked secret in a JSON response. */
const SECRET_FIELD =
  /"(password|master_password|masterPassword|adminToken|readOnlyToken|bearerToken|serviceAccountToken|secretAccessKey|clientSecret|privateKey|secretKey|client-key-data)"\s*:\s*"([^"]*)"/g;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Records the body of every response a page receives, and checks that none
 * holds a secret: a value the backend really holds (see backendSecrets) or a
 * JSON field such as "password":"…" with a plain string instead of a
 * { secretRef } reference. `"token"` is checked in API answers other than the
 * auth backend's (which legitimately hands the browser its own identity token).
 */
export class SecretWatch {
  constructor() {
    this.bodies = [];
    this.pending = new Set();
    this.secrets = new Set();
  }

  attach(page) {
    page.on('response', response => {
      const type = response.headers()['content-type'] ?? '';
      if (/^(image|font|audio|video)\//.test(type)) return;
      const p = response
        .body()
        .then(buf => {
          this.bodies.push({
            url: response.url(),
            status: response.status(),
            type,
            text: buf.toString('utf8'),
          });
        })
        .catch(() => {
          // redirects and aborted loads have no body
        })
        .finally(() => this.pending.delete(p));
      this.pending.add(p);
    });
  }

  async collectSecrets() {
    for (const s of await backendSecrets()) this.secrets.add(s);
  }

  /** Every leak found, as "url: what". Call after the pages are done. */
  async findLeaks() {
    await Promise.allSettled([...this.pending]);
    await this.collectSecrets();
    const leaks = [];
    for (const b of this.bodies) {
      for (const s of this.secrets) {
        if (b.text.includes(s))
          leaks.push(`${b.url}: contains the secret value ${s.slice(0, 4)}…`);
      }
      const api = b.url.startsWith(BACKEND) || /json/.test(b.type);
      if (!api) continue;
      for (const m of b.text.matchAll(SECRET_FIELD)) {
        if (m[2] !== '') leaks.push(`${b.url}: "${m[1]}" has a plain value`);
      }
      if (PRIVATE_KEY_PEM.test(b.text))
        leaks.push(`${b.url}: contains a PEM private key`);
      if (!b.url.includes('/api/auth/')) {
        for (const m of b.text.matchAll(
          /"(token|accessToken|idToken)"\s*:\s*"([^"]{8,})"/g,
        )) {
          leaks.push(`${b.url}: "${m[1]}" has a plain value`);
        }
      }
    }
    return leaks;
  }

  /** Writes what was recorded (URL, status, size) to artifacts/<name>.json. */
  writeReport(name, leaks) {
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(
      path.join(artifactsDir, `${name}.json`),
      JSON.stringify(
        {
          responses: this.bodies.map(b => ({
            url: b.url,
            status: b.status,
            bytes: b.text.length,
          })),
          secretsChecked: this.secrets.size,
          leaks,
        },
        null,
        2,
      ),
    );
  }
}
