/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Issue 7, browser acceptance of Environments as a Service: run the
// "Create an environment" template from /create (EnvironmentTypePicker with
// dev-small on local, a name, an owner), wait for the task, then find the
// environment on /multicluster/environments with its capabilities, secrets
// shown only as "stored secret". Every response the browser receives is
// recorded; the last test checks that no secret value reached it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  artifactsDir,
  BACKEND,
  gotoReady,
  launchBrowser,
  newSignedInPage,
  SecretWatch,
} from './portal.mjs';

/** A local dev-small environment: an emulated cluster, a database on the embedded PostgreSQL, a bucket. */
const TASK_TIMEOUT_MS = 4 * 60_000;
const NAME = `e2e-${Date.now().toString(36)}`;
let created = false;

let browser;
let page;
const watch = new SecretWatch();

before(async () => {
  browser = await launchBrowser();
  await watch.collectSecrets();
  page = await newSignedInPage(browser, watch);
});
after(async () => {
  await browser?.close();
  // Leave the portal as found: destroy the environment (the UI has no delete
  // button), as the guest user, with the identity token the browser received.
  const refresh = [...watch.bodies]
    .reverse()
    .find(b => b.url.includes('/api/auth/guest/refresh') && b.status === 200);
  const token = refresh && JSON.parse(refresh.text)?.backstageIdentity?.token;
  if (!created || !token) return;
  const res = await fetch(`${BACKEND}/api/multicluster/environments/${NAME}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  }).catch(e => ({ ok: false, status: String(e) }));
  if (!res.ok)
    console.log(`# could not destroy environment ${NAME}: ${res.status}`);
});

const shot = name =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

/** Picks `option` in the MUI select labelled `label` (rjsf enum or EnvironmentTypePicker). */
async function pick(label, option) {
  await page.getByRole('button', { name: label }).first().click();
  await page.getByRole('option', { name: option }).first().click();
  // Let the menu finish closing (MUI fades it out) before the next click or screenshot.
  await page
    .locator('.MuiPopover-root')
    .first()
    .waitFor({ state: 'detached', timeout: 5000 });
}

test('"Create an environment" from the UI creates an environment with its capabilities', async () => {
  // Checked at the end, so one run reports every gap in the flow at once.
  const problems = [];

  await gotoReady(
    page,
    '/create',
    page.getByText('Create an environment', { exact: true }).first(),
  );
  await shot('20-create-templates.png');
  const card = page
    .locator('[class*="MuiCard-root"]')
    .filter({ has: page.getByText('Create an environment', { exact: true }) })
    .first();
  await card.getByRole('button', { name: /choose/i }).click();
  await page.waitForURL(/\/create\/templates\/default\/create-environment/);

  // Step "Environment": name and owner.
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

  // The environment type and cloud: with the EnvironmentTypePicker they may be on
  // this step or on the next one; fill them wherever they show up.
  const typeSelect = page.getByRole('button', { name: /^Environment type/ });
  let filled = false;
  for (let step = 0; step < 4; step++) {
    if (!filled && (await typeSelect.count()) > 0) {
      await pick(
        /^Environment type/,
        /Development \(small\)|Development, small|^dev-small$/,
      );
      const cloud = page.getByRole('button', { name: /^Cloud/ });
      // The picker fills a cloud itself when the type has only one.
      if (!/local/i.test(await cloud.first().innerText()))
        await pick(/^Cloud/, /^local$|Local machine/);
      // The EnvironmentTypePicker lists what the pair creates; a plain enum does not.
      const creates = page.getByRole('list', {
        name: 'Components this creates',
      });
      if ((await creates.count()) === 0) {
        problems.push(
          'the template does not use the EnvironmentTypePicker field: no "Components this creates" list after ' +
            'picking dev-small on local (examples/templates/create-environment/template.yaml has plain enums)',
        );
      } else {
        const text = await creates.innerText();
        for (const kind of ['kubernetes', 'database', 'network']) {
          if (!text.includes(kind))
            problems.push(
              `the picker does not list a ${kind} component: ${text}`,
            );
        }
      }
      await shot('21-create-environment-type-picker.png');
      filled = true;
    }
    const next = page.getByRole('button', { name: /^(next|review)$/i });
    if ((await page.getByRole('button', { name: /^create$/i }).count()) > 0)
      break;
    await next.first().click();
    await sleep(500);
  }
  assert.ok(filled, 'the form offers an environment type and a cloud');

  // Review, then create.
  await page.getByRole('button', { name: /^create$/i }).waitFor();
  assert.ok(
    (await page.getByText(NAME).count()) > 0,
    'the review shows the name',
  );
  await shot('22-create-environment-review.png');
  await page.getByRole('button', { name: /^create$/i }).click();
  await page.waitForURL(/\/create\/tasks\//);
  created = true;

  // The task page: wait for the output ("Status: ready") or a failure.
  const deadline = Date.now() + TASK_TIMEOUT_MS;
  let outcome = 'timeout';
  while (Date.now() < deadline) {
    const body = await page.locator('body').innerText();
    if (/Status:\s*\w+/.test(body)) {
      outcome = 'done';
      break;
    }
    // A finished task without output failed: "Start Over" is enabled only once the task ended.
    const startOver = page.getByRole('button', { name: 'Start Over' });
    if (
      (await startOver.count()) > 0 &&
      (await startOver.first().isEnabled())
    ) {
      // Give the log a moment to show the error before the screenshot.
      await sleep(2000);
      outcome = 'failed';
      break;
    }
    await sleep(3000);
  }
  await shot('23-create-environment-task.png');
  const taskText = await page.locator('body').innerText();
  assert.equal(
    outcome,
    'done',
    `the task completes (got ${outcome}); task page says:\n${taskText.slice(
      0,
      2000,
    )}`,
  );
  assert.match(taskText, /Status:\s*ready/, 'the environment is ready');
  assert.ok(
    !/"password"\s*:\s*"/.test(taskText),
    'the task output has no plain password',
  );

  // The environments page lists it; its view shows components and capabilities.
  assert.ok(
    (await page
      .getByRole('link', { name: 'Environments', exact: true })
      .count()) > 0,
    'the app has no "Environments" sidebar item: @archipelago/multicluster is not installed in packages/app',
  );
  await gotoReady(
    page,
    '/multicluster/environments',
    page.getByRole('link', { name: NAME }),
  );
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: NAME }) });
  const rowText = await row.innerText();
  assert.match(rowText, /dev-small/);
  assert.match(rowText, /local/);
  assert.match(rowText, /Ready/i);
  await shot('24-environments-list.png');

  await row.getByRole('link', { name: NAME }).click();
  await page.waitForURL(new RegExp(`/multicluster/environments/${NAME}$`));
  await page.getByText('Components', { exact: true }).first().waitFor();
  await page.getByText('stored secret').first().waitFor();
  const detail = await page.locator('main').innerText();
  for (const kind of ['kubernetes', 'database', 'network']) {
    if (!detail.toLowerCase().includes(kind))
      problems.push(`the environment view does not show a ${kind} component`);
  }
  // Capabilities with values (e.g. an endpoint) can be copied; secrets cannot.
  assert.ok(
    (await page.getByRole('button', { name: /^Copy / }).count()) > 0,
    'capabilities have copy buttons',
  );
  const secretChips = page.getByText('stored secret', { exact: true });
  assert.ok(
    (await secretChips.count()) >= 1,
    'the database password shows as "stored secret"',
  );
  for (const chip of await page
    .getByRole('button', { name: /^Copy .*password/i })
    .all()) {
    problems.push(
      `a password has a copy button: ${await chip.getAttribute('aria-label')}`,
    );
  }
  await shot('25-environment-detail.png');

  assert.deepEqual(problems, [], 'the documented flow works end to end');
});

test('no secret value reached the browser during the environment flow', async () => {
  await page.close();
  const leaks = await watch.findLeaks();
  watch.writeReport('network-environments', leaks);
  assert.ok(
    watch.bodies.length > 20,
    `responses were recorded (${watch.bodies.length})`,
  );
  assert.ok(
    watch.secrets.size >= 12,
    `real secrets to look for: ${watch.secrets.size}`,
  );
  assert.deepEqual(leaks, [], 'no response body holds a secret');
});
