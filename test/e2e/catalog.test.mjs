/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Smoke test: the catalog shows the example components and one opens.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { artifactsDir, launchBrowser, signIn } from './portal.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('catalog lists the example components and opens one', async () => {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
  });
  page.setDefaultTimeout(60_000);
  await signIn(page);

  await page.getByText('checkout', { exact: true }).first().waitFor();
  await page.getByText('catalog-web', { exact: true }).first().waitFor();
  await page.screenshot({
    path: path.join(artifactsDir, '01-catalog.png'),
    fullPage: true,
  });

  await page
    .getByRole('link', { name: 'checkout', exact: true })
    .first()
    .click();
  await page.waitForURL(/\/catalog\/default\/component\/checkout/);
  await page.getByText('Takes payments and creates orders.').first().waitFor();
  // The entity page header names the component and its owner.
  await page
    .getByRole('heading', { name: /checkout/ })
    .first()
    .waitFor();
  assert.ok(await page.getByText('platform-team').first().isVisible());
  await page.screenshot({
    path: path.join(artifactsDir, '02-component.png'),
    fullPage: true,
  });
  await page.close();
});
