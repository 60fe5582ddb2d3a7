/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// Issue 7, browser acceptance of the cluster inventory against the emulated
// fleet of the example portal (emulator-1..6; emulator-3 has a NotReady node):
// the Cluster health card on checkout and catalog-web, a cluster that stops
// and comes back, and the clusters page with a label selector filter. Every
// response the browser receives is recorded, and the last test checks that no
// secret value reached it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  admin,
  artifactsDir,
  eventually,
  gotoReady,
  launchBrowser,
  newSignedInPage,
  SecretWatch,
} from './portal.mjs';

const CHECKOUT = '/catalog/default/component/checkout';
const CATALOG_WEB = '/catalog/default/component/catalog-web';
/** Two probe rounds (15 s each) plus damping and a page reload; generous for a busy machine. */
const HEALTH_CHANGE_TIMEOUT_MS = 90_000;

let browser;
let page;
let pluginInstalled = false;
const watch = new SecretWatch();
const NOT_INSTALLED =
  'the app has no "Clusters" sidebar item: @archipelago/multicluster is not installed in packages/app ' +
  '(it must be a dependency of packages/app/package.json for app.packages: all to discover it)';

before(async () => {
  browser = await launchBrowser();
  await watch.collectSecrets();
  page = await newSignedInPage(browser, watch);
  // The plugin adds "Clusters" to the sidebar; without it every test below
  // would only time out, so say why at once.
  pluginInstalled = await page
    .getByRole('link', { name: 'Clusters', exact: true })
    .first()
    .waitFor({ timeout: 20_000 })
    .then(
      () => true,
      () => false,
    );
});
after(async () => {
  await browser?.close();
});

const shot = name =>
  page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

/** The row of one cluster on the entity's Cluster health card. */
const cardRow = name =>
  page
    .getByRole('list', { name: 'Clusters' })
    .getByRole('listitem', { name: `Cluster ${name}` });

/**
 * Opens an entity page and waits until the card shows `name` with `text`
 * (reloading: health is only re-read on a page load or every 60 s).
 */
async function openCardUntil(url, name, text, timeoutMs, beforeEachRound) {
  await eventually(
    async () => {
      await beforeEachRound?.();
      // One load per round: `eventually` is the retry.
      await gotoReady(
        page,
        url,
        page.getByText('Cluster health', { exact: true }).first(),
        { attempts: 1 },
      );
      const row = cardRow(name);
      await row.waitFor({ timeout: 20_000 });
      return (await row.innerText()).includes(text);
    },
    {
      timeoutMs,
      intervalMs: 5000,
      what: `cluster ${name} to show "${text}" on ${url}`,
    },
  ).catch(async e => {
    await shot(`failed-${name}-${text.toLowerCase()}.png`).catch(() => {});
    throw e;
  });
  return cardRow(name);
}

test('the Cluster health card shows real health of the emulated clusters', async () => {
  assert.ok(pluginInstalled, NOT_INSTALLED);
  const fleet = (await admin('GET', '/clusters')).items;
  const byName = Object.fromEntries(fleet.map(c => [c.name, c]));
  for (const name of ['emulator-1', 'emulator-2', 'emulator-3', 'emulator-6']) {
    assert.ok(byName[name]?.running, `${name} runs in the emulated fleet`);
  }

  // checkout selects env=production: emulator-1 and emulator-2, both healthy.
  // Just after the portal starts, health is "unknown" until two probes agree.
  await openCardUntil(
    CHECKOUT,
    'emulator-2',
    'Healthy',
    HEALTH_CHANGE_TIMEOUT_MS,
  );
  await openCardUntil(
    CHECKOUT,
    'emulator-1',
    'Healthy',
    HEALTH_CHANGE_TIMEOUT_MS,
  );
  const list = page.getByRole('list', { name: 'Clusters' });
  assert.equal(
    await list.getByRole('listitem').count(),
    2,
    'checkout runs on exactly two clusters',
  );
  for (const name of ['emulator-1', 'emulator-2']) {
    const text = await cardRow(name).innerText();
    assert.match(text, /Healthy/);
    assert.ok(
      text.includes(`Version ${byName[name].version}`),
      `${name} shows version ${byName[name].version}: ${text}`,
    );
    assert.ok(
      text.includes(`Nodes ${byName[name].nodes}/${byName[name].nodes} ready`),
      `${name} shows its nodes: ${text}`,
    );
    assert.match(text, /Probed /);
  }
  assert.match(
    await cardRow('emulator-1').innerText(),
    /Emulated AWS us-east-1 \(1\)/,
  );
  assert.match(
    await cardRow('emulator-2').innerText(),
    /Emulated AZURE westeurope \(2\)/,
  );
  await page.getByText('2 clusters · 2 healthy').first().waitFor();
  await shot('10-checkout-cluster-health.png');

  // catalog-web selects team=search,env in (staging,development): emulator-3
  // (degraded: one NotReady node) and emulator-6; the worst comes first.
  const degraded = await openCardUntil(
    CATALOG_WEB,
    'emulator-3',
    'Degraded',
    HEALTH_CHANGE_TIMEOUT_MS,
  );
  const e3 = byName['emulator-3'];
  const text3 = await degraded.innerText();
  assert.ok(
    text3.includes(`1 of ${e3.nodes} nodes NotReady`),
    `emulator-3 shows its reason: ${text3}`,
  );
  assert.ok(
    text3.includes(`Nodes ${e3.nodes - 1}/${e3.nodes} ready`),
    `emulator-3 shows its nodes: ${text3}`,
  );
  assert.ok(
    text3.includes(`Version ${e3.version}`),
    `emulator-3 shows its version: ${text3}`,
  );
  const healthy6 = await openCardUntil(
    CATALOG_WEB,
    'emulator-6',
    'Healthy',
    HEALTH_CHANGE_TIMEOUT_MS,
  );
  assert.ok(
    (await healthy6.innerText()).includes(
      `Version ${byName['emulator-6'].version}`,
    ),
  );
  const names = await page
    .getByRole('list', { name: 'Clusters' })
    .getByRole('listitem')
    .evaluateAll(items => items.map(i => i.getAttribute('aria-label')));
  // catalog-web's example environment adds its own cluster once it is ready.
  assert.deepEqual(
    names.filter(n => n.startsWith('Cluster emulator-')),
    ['Cluster emulator-3', 'Cluster emulator-6'],
    'worst first',
  );
  await page
    .getByText(/^[23] clusters · .*1 degraded.* healthy/)
    .first()
    .waitFor();
  await shot('11-catalog-web-cluster-health.png');
});

test('the clusters page shows counts and the table, and filters by a label selector', async () => {
  assert.ok(pluginInstalled, NOT_INSTALLED);
  await gotoReady(
    page,
    '/multicluster',
    page.getByRole('button', { name: 'Show healthy clusters' }),
  );
  // The page is also in the sidebar as "Clusters".
  await page
    .getByRole('link', { name: 'Clusters', exact: true })
    .first()
    .waitFor();

  const table = page.locator('table');
  const rowOf = name => table.getByRole('row').filter({ hasText: name });
  for (let i = 1; i <= 6; i++) await rowOf(`emulator-${i}`).first().waitFor();

  // Counts by health add up to the total, which is also the table's; the
  // emulated fleet brings one degraded cluster (emulator-3), one unreachable
  // (emulator-4, stopped at startup) and healthy ones.
  const count = async label =>
    Number(
      (await page.getByRole('button', { name: label }).innerText()).match(
        /\d+/,
      )?.[0] ?? NaN,
    );
  const byHealth = {};
  for (const h of [
    'healthy',
    'degraded',
    'unhealthy',
    'unreachable',
    'unauthorized',
    'unknown',
  ]) {
    byHealth[h] = await count(`Show ${h} clusters`);
  }
  const subheader = await page
    .getByText(/^\d+ clusters · last probe round/)
    .innerText();
  const total = Number(subheader.match(/^(\d+)/)[1]);
  assert.equal(
    Object.values(byHealth).reduce((a, b) => a + b, 0),
    total,
    `counts ${JSON.stringify(byHealth)}`,
  );
  assert.ok(total >= 6, `at least the six emulated clusters (${total})`);
  assert.ok(byHealth.healthy >= 4, `healthy ${byHealth.healthy}`);
  assert.ok(byHealth.unreachable >= 1, `unreachable ${byHealth.unreachable}`);
  assert.ok(byHealth.degraded >= 1, `degraded ${byHealth.degraded}`);
  await page.getByText(`Clusters (${total})`).waitFor();
  // Counts by cloud: the fleet is spread over aws, azure and gcp.
  for (const cloud of ['aws', 'azure', 'gcp']) {
    assert.ok((await count(`Show ${cloud} clusters`)) >= 2, `${cloud} count`);
  }
  const row3 = await rowOf('emulator-3').innerText();
  assert.match(row3, /Degraded/);
  assert.match(row3, /nodes NotReady/);
  assert.match(await rowOf('emulator-1').innerText(), /Healthy/);
  await shot('12-clusters-page.png');

  // An invalid selector is flagged as you type and not sent.
  const selector = page.getByLabel('Label selector');
  await selector.fill('env in (');
  await page.waitForFunction(
    () =>
      document
        .querySelector('#multicluster-filter-selector')
        ?.getAttribute('aria-invalid') === 'true',
  );
  assert.ok(
    !page.url().includes('selector='),
    'an invalid selector stays out of the URL',
  );

  // A valid one filters the table on the server and goes into the URL.
  await selector.fill('team=search');
  await page.waitForURL(/selector=team%3Dsearch/);
  await page.getByText('Clusters (2)').waitFor();
  await rowOf('emulator-3').waitFor();
  await rowOf('emulator-6').waitFor();
  assert.equal(
    await rowOf('emulator-1').count(),
    0,
    'emulator-1 is filtered out',
  );
  assert.equal(await table.locator('tbody tr').count(), 2);
  await shot('13-clusters-filtered-team-search.png');

  // The filtered view is a link that can be shared.
  await gotoReady(
    page,
    '/multicluster?selector=env%3Dproduction',
    page.getByText('Clusters (2)'),
  );
  await rowOf('emulator-1').waitFor();
  await rowOf('emulator-2').waitFor();
  assert.equal(
    await page.getByLabel('Label selector').inputValue(),
    'env=production',
  );
});

test('a stopped cluster turns unreachable on the card, and healthy again once started', async () => {
  assert.ok(pluginInstalled, NOT_INSTALLED);
  const name = 'emulator-2';
  // Precondition: it is healthy (the first test saw it so).
  await openCardUntil(CHECKOUT, name, 'Healthy', HEALTH_CHANGE_TIMEOUT_MS);
  const started = Date.now();
  await admin('POST', `/clusters/${name}/stop`);
  try {
    assert.equal((await admin('GET', `/clusters/${name}`)).running, false);
    // A backend restart (watch mode: others save files) starts a new fleet with
    // every cluster running; stop the cluster again then, and keep waiting.
    const keepStopped = async () => {
      if ((await admin('GET', `/clusters/${name}`)).running) {
        console.log(
          `# ${name} runs again (the backend restarted): stopping it again`,
        );
        await admin('POST', `/clusters/${name}/stop`);
      }
    };
    const row = await openCardUntil(
      CHECKOUT,
      name,
      'Unreachable',
      HEALTH_CHANGE_TIMEOUT_MS,
      keepStopped,
    );
    const text = await row.innerText();
    console.log(
      `# ${name} unreachable on the card after ${Math.round(
        (Date.now() - started) / 1000,
      )} s: ${text.replace(/\s+/g, ' ')}`,
    );
    // The reason says why (connection refused), and the other cluster is untouched.
    assert.match(text, /refused|ECONNREFUSED|connect/i);
    assert.match(await cardRow('emulator-1').innerText(), /Healthy/);
    await page
      .getByText('2 clusters · 1 unreachable · 1 healthy')
      .first()
      .waitFor();
    // Worst first: the unreachable cluster leads the card.
    const first = await page
      .getByRole('list', { name: 'Clusters' })
      .getByRole('listitem')
      .first()
      .getAttribute('aria-label');
    assert.equal(first, `Cluster ${name}`);
    await shot('14-checkout-emulator-2-unreachable.png');
  } finally {
    // Leave the portal as we found it.
    await admin('POST', `/clusters/${name}/start`);
  }
  assert.equal((await admin('GET', `/clusters/${name}`)).running, true);
  await openCardUntil(CHECKOUT, name, 'Healthy', HEALTH_CHANGE_TIMEOUT_MS);
  await page.getByText('2 clusters · 2 healthy').first().waitFor();
  await shot('15-checkout-emulator-2-recovered.png');
});

test('no secret value reached the browser on the cluster pages', async () => {
  // One more page that lists every cluster (with its labels and sources).
  if (pluginInstalled)
    await gotoReady(
      page,
      '/multicluster',
      page.getByText('emulator-6').first(),
    );
  await page.close();
  const leaks = await watch.findLeaks();
  watch.writeReport('network-clusters', leaks);
  assert.ok(
    watch.bodies.length > 20,
    `responses were recorded (${watch.bodies.length})`,
  );
  assert.ok(pluginInstalled, NOT_INSTALLED);
  assert.ok(
    watch.bodies.some(b => b.url.includes('/api/multicluster/')),
    'the multicluster API answers were among them',
  );
  assert.ok(
    watch.secrets.size >= 12,
    `real secrets to look for: ${watch.secrets.size} (two tokens per emulated cluster)`,
  );
  assert.deepEqual(leaks, [], 'no response body holds a secret');
});
