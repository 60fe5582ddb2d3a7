/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Issue 17, the first ten minutes: a newcomer's journey through the example
// portal from its first start. Open the catalog, open checkout, see its
// Kubernetes tab list pods from its clusters, reload and stay signed in, see
// catalog-web's example environment card, the clusters page with its degraded
// and unreachable clusters, then create an environment through the template
// and see its card. The screenshots go to docs/screenshots/ (the README's
// tour shows them).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BACKEND,
  eventually,
  FRONTEND,
  gotoReady,
  launchBrowser,
  newSignedInPage,
  repoRoot,
} from './portal.mjs';

const screenshots = path.join(repoRoot, 'docs/screenshots');
const TASK_TIMEOUT_MS = 4 * 60_000;
const NAME = `newcomer-${Date.now().toString(36)}`;

let browser;
let page;

before(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  browser = await launchBrowser();
  page = await newSignedInPage(browser);
});
after(async () => {
  await browser?.close();
});

const shot = name =>
  page.screenshot({ path: path.join(screenshots, name), fullPage: false });

/** The guest's identity token, as the browser holds it (for the API calls of the figures). */
async function guestToken() {
  const res = await page.request.get(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  return (await res.json())?.backstageIdentity?.token;
}

test('the catalog lists the example components', async () => {
  await gotoReady(
    page,
    '/',
    page.getByRole('link', { name: 'checkout', exact: true }).first(),
  );
  await page
    .getByRole('link', { name: 'catalog-web', exact: true })
    .first()
    .waitFor();
  await shot('catalog.png');
});

test('the clusters page shows the fleet with one degraded and one unreachable cluster', async () => {
  const token = await guestToken();
  const started = Number(process.env.ARCHIPELAGO_PORTAL_STARTED_AT ?? 0);
  // Figure: the first probe round's health of every cluster, from `npm start`.
  const clusters = await eventually(
    async () => {
      const res = await fetch(
        `${BACKEND}/api/multicluster/clusters?limit=100`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      const items = (await res.json()).items ?? [];
      return items.length >= 6 && items.every(c => c.status.lastProbeAt)
        ? items
        : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500, what: 'every cluster probed' },
  );
  if (started)
    console.log(
      `# npm start to the first probe round's health of every cluster: ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s`,
    );
  const health = Object.fromEntries(
    clusters.map(c => [c.name, c.status.health]),
  );
  assert.equal(health['emulator-3'], 'degraded');
  assert.equal(health['emulator-4'], 'unreachable');
  await gotoReady(
    page,
    '/multicluster',
    page.getByText('emulator-4', { exact: true }).first(),
  );
  await page
    .getByText(/unreachable/i)
    .first()
    .waitFor();
  await shot('clusters.png');
});

test('checkout: its Kubernetes tab lists pods from its clusters', async () => {
  await gotoReady(
    page,
    '/catalog/default/component/checkout',
    page.getByText('Takes payments and creates orders.').first(),
  );
  await shot('component.png');
  // The entity page's tabs are links in Backstage's new frontend system.
  await page.getByText('Kubernetes', { exact: true }).first().click();
  await page.waitForURL(/\/kubernetes/);
  // The workload's pods on the production clusters (emulator-1 and emulator-2,
  // titled by the inventory), two replicas each.
  const text = await eventually(
    async () => {
      const t = await page.locator('main').innerText();
      return /Emulated AWS us-east-1 \(1\)/.test(t) &&
        /Emulated AZURE westeurope \(2\)/.test(t) &&
        (t.match(/\b\d+ pods?\b/g) ?? []).length >= 2
        ? t
        : undefined;
    },
    {
      timeoutMs: 120_000,
      intervalMs: 2000,
      what: 'pods on both production clusters on the Kubernetes tab',
    },
  );
  assert.doesNotMatch(text, /No Kubernetes resources/i);
  // Open the first cluster: its deployment and pods.
  await page.getByText('Emulated AWS us-east-1 (1)').first().click();
  await page
    .getByText(/checkout/)
    .nth(1)
    .waitFor();
  await shot('kubernetes-tab.png');
});

test('a reload keeps the guest signed in', async () => {
  await page.reload();
  await page
    .getByRole('link', { name: 'Create', exact: true })
    .first()
    .waitFor({ timeout: 60_000 });
  assert.equal(
    await page.getByRole('button', { name: /enter/i }).count(),
    0,
    'no sign-in page after a reload',
  );
});

test('catalog-web shows its example environment with its capabilities', async () => {
  await gotoReady(
    page,
    '/catalog/default/component/catalog-web',
    page.getByText('catalog-web-dev').first(),
    { timeout: 60_000 },
  );
  // The portal creates catalog-web-dev at its first start; on a busy machine
  // that can take minutes. Its card lists capabilities (with copy buttons)
  // once it is ready.
  const card = page
    .locator('[class*="MuiCard-root"]')
    .filter({ has: page.getByText('Environment capabilities') })
    .first();
  const copy = card.getByRole('button', { name: /^Copy / }).first();
  await eventually(
    async () => {
      if (await copy.isVisible()) return true;
      await page.reload();
      await card.waitFor({ timeout: 30_000 }).catch(() => undefined);
      return (await copy.isVisible()) || undefined;
    },
    {
      timeoutMs: 360_000,
      intervalMs: 5000,
      what: 'catalog-web-dev ready with its capabilities',
    },
  );
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({
    path: path.join(screenshots, 'environment-card.png'),
  });
});

/** Picks `option` in the MUI select labelled `label`. */
async function pick(label, option) {
  await page.getByRole('button', { name: label }).first().click();
  await page.getByRole('option', { name: option }).first().click();
  await page
    .locator('.MuiPopover-root')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 });
}

test('"Create an environment" from the template, then its card', async () => {
  await gotoReady(
    page,
    '/create',
    page.getByText('Create an environment', { exact: true }).first(),
  );
  await shot('templates.png');
  await page
    .locator('[class*="MuiCard-root"]')
    .filter({ has: page.getByText('Create an environment', { exact: true }) })
    .first()
    .getByRole('button', { name: /choose/i })
    .click();
  await page.waitForURL(/\/create\/templates\/default\/create-environment/);
  await page.getByRole('textbox', { name: /^Name/ }).fill(NAME);
  const owner = page
    .getByRole('combobox', { name: /^Owner/ })
    .or(page.getByRole('textbox', { name: /^Owner/ }));
  await owner.first().click();
  await owner.first().fill('platform');
  await page
    .getByRole('option', { name: /platform-team|Platform Team/ })
    .first()
    .click();
  const typeSelect = page.getByRole('button', { name: /^Environment type/ });
  let filled = false;
  for (let step = 0; step < 4; step++) {
    if (!filled && (await typeSelect.count()) > 0) {
      await pick(
        /^Environment type/,
        /Development \(small\)|Development, small|^dev-small$/,
      );
      const cloud = page.getByRole('button', { name: /^Cloud/ });
      if (!/local/i.test(await cloud.first().innerText()))
        await pick(/^Cloud/, /^local$|Local machine/);
      filled = true;
    }
    if ((await page.getByRole('button', { name: /^create$/i }).count()) > 0)
      break;
    await page
      .getByRole('button', { name: /^(next|review)$/i })
      .first()
      .click();
    await sleep(500);
  }
  assert.ok(filled, 'the form offers an environment type and a cloud');
  await page.getByRole('button', { name: /^create$/i }).click();
  await page.waitForURL(/\/create\/tasks\//);
  await eventually(
    async () =>
      /Status:\s*ready/.test(await page.locator('body').innerText()) ||
      undefined,
    {
      timeoutMs: TASK_TIMEOUT_MS,
      intervalMs: 3000,
      what: 'the task output "Status: ready"',
    },
  );
  await gotoReady(
    page,
    `/multicluster/environments/${NAME}`,
    page.getByText('Components', { exact: true }).first(),
  );
  await page.getByText('stored secret').first().waitFor();
  await shot('environment.png');
  // Leave the portal as found.
  const token = await guestToken();
  await fetch(`${BACKEND}/api/multicluster/environments/${NAME}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  }).catch(() => undefined);
  assert.ok(FRONTEND);
});
