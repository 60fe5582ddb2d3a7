/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
// GET /clusters p50/p95 at N clusters (default 10,000) while probe rounds write, on
// SQLite and PostgreSQL (embedded), through the plugin's real router and store. No
// fleet: a round hands the store what the prober would (outcomes classified by the
// prober's classifyProbe from the emulator's /readyz answers, a few % of health
// transitions, checks, nodes, history rows), through the same calls as the probe task
// (startProbeRound, listProbeTargets, recordProbeRound). Phases, each with one client
// in a loop (sequential) and then with CLIENTS clients at once (concurrent):
//   idle     no writes;
//   paced    one round at its floor: N × 100 ms / 32 of probing, then its write;
//            `duringWrites` are the requests that overlapped recordProbeRound;
//   flatOut  rounds back to back with no probing time: the write path flat out.
// History is held at HISTORY_ROUNDS rounds (prefilled), so every round also prunes one
// round's N rows, as in steady state; 10, not the default 100, because a reachable
// cluster's probe stores some 2 KB of checks and 1,000,000 such rows would not fit the
// bench's memory on in-memory SQLite.
// Goal: p95 < 50 ms. Usage:
//   node test/bench/inventory-api-writes.mjs [clusters] [sqlite|postgres|both] [flatOutSeconds]
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  backend,
  percentile,
  require,
  round as r2,
} from './_inventory-lib.mjs';
import {
  createBenchRouter,
  get,
  openDatabase,
  seed,
  serve,
} from './_inventory-api-lib.mjs';
import { outcomeOf, pacedOutcomes } from './_probe-round-lib.mjs';

const N = Number(process.argv[2] ?? 10_000);
const engines =
  (process.argv[3] ?? 'both') === 'both'
    ? ['sqlite', 'postgres']
    : [process.argv[3]];
const FLAT_OUT_SECONDS = Number(process.argv[4] ?? 10);
const IDLE_SECONDS = 5;
const CLIENTS = 4;
const CONCURRENCY = 32;
const LATENCY_MS = 100;
const HISTORY_ROUNDS = 10;
const GOAL_MS = 50;
const PATH = '/clusters';
const RECORD_OPTIONS = {
  flapThreshold: 2,
  historyLimit: HISTORY_ROUNDS,
  historyMaxAgeMs: 24 * 3600_000,
};

const { InventoryStore } = require(backend('src/inventory/InventoryStore.ts'));

/** Clients calling GET PATH in a loop until stop(); each sample is [start, end] in ms. */
function startLoad(port, clients) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const samples = [];
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const start = performance.now();
      const { ms } = await get(agent, port, PATH);
      samples.push({ start, end: start + ms, ms });
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return samples;
    },
  };
}

function stats(samples) {
  const sorted = samples.map(s => s.ms).sort((a, b) => a - b);
  return {
    p50: r2(percentile(sorted, 50)),
    p95: r2(percentile(sorted, 95)),
    max: r2(sorted[sorted.length - 1] ?? NaN),
    requests: sorted.length,
  };
}

const overlapping = (samples, windows) =>
  samples.filter(s => windows.some(w => s.start < w.end && s.end > w.start));

/** The event loop's worst stalls while `fn` runs (what a synchronous driver costs every request). */
async function withLoopDelay(fn) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const result = await fn();
  h.disable();
  return {
    result,
    loop: { p99Ms: r2(h.percentile(99) / 1e6), maxMs: r2(h.max / 1e6) },
  };
}

let roundNo = 1;
/** One probe round through the store; `paced` spends the round's floor probing first. */
async function probeRound(store, paced) {
  const r = roundNo++;
  const started = performance.now();
  const id = await store.startProbeRound('bench');
  const targets = await store.listProbeTargets();
  const outcomes = paced
    ? await pacedOutcomes(targets, r, CONCURRENCY, LATENCY_MS)
    : targets.map(t => outcomeOf(t, r));
  const writeStart = performance.now();
  await store.recordProbeRound(id, outcomes, RECORD_OPTIONS);
  const end = performance.now();
  return {
    seconds: (end - started) / 1000,
    writeSeconds: (end - writeStart) / 1000,
    window: { start: writeStart, end },
  };
}

/** Fills history up to HISTORY_ROUNDS rounds (as after that many rounds), one round each. */
async function prefillHistory(store) {
  const t = Date.now();
  for (let i = 0; i < HISTORY_ROUNDS; i++) await probeRound(store, false);
  return (Date.now() - t) / 1000;
}

async function phases(store, port, clients) {
  const out = {};
  let load = startLoad(port, clients);
  await sleep(IDLE_SECONDS * 1000);
  out.idle = stats(await load.stop());

  load = startLoad(port, clients);
  const paced = await withLoopDelay(() => probeRound(store, true));
  let samples = await load.stop();
  out.paced = {
    ...stats(samples),
    duringWrites: stats(overlapping(samples, [paced.result.window])),
    roundSeconds: r2(paced.result.seconds),
    floorSeconds: r2((N * LATENCY_MS) / CONCURRENCY / 1000),
    writeSeconds: r2(paced.result.writeSeconds),
    eventLoop: paced.loop,
  };

  load = startLoad(port, clients);
  const flat = await withLoopDelay(async () => {
    const rounds = [];
    const until = performance.now() + FLAT_OUT_SECONDS * 1000;
    while (performance.now() < until)
      rounds.push(await probeRound(store, false));
    return rounds;
  });
  samples = await load.stop();
  const rounds = flat.result;
  out.flatOut = {
    ...stats(samples),
    duringWrites: stats(
      overlapping(
        samples,
        rounds.map(x => x.window),
      ),
    ),
    rounds: rounds.length,
    roundSecondsMean: r2(
      rounds.reduce((a, x) => a + x.seconds, 0) / rounds.length,
    ),
    writeSecondsMean: r2(
      rounds.reduce((a, x) => a + x.writeSeconds, 0) / rounds.length,
    ),
    eventLoop: flat.loop,
  };
  return out;
}

if (engines.length > 1) {
  // One process per engine, so each one's memory is its own figure.
  for (const engine of engines) {
    const run = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1],
        String(N),
        engine,
        String(FLAT_OUT_SECONDS),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  process.exit(0);
}

for (const engine of engines) {
  const started = Date.now();
  const { knex, close } = await openDatabase(engine);
  try {
    const store = new InventoryStore(knex);
    let transitions = 0;
    store.probes.onHealthTransition = ids => {
      transitions += ids.length;
    };
    const seeding = await seed(store, N);
    const prefillSeconds = await prefillHistory(store);
    const historyRows = Number(
      (await knex('multicluster_probes').count({ n: '*' }).first()).n,
    );
    transitions = 0;
    const roundsBefore = roundNo;
    const server = await serve(await createBenchRouter(store, false));
    const port = server.address().port;
    // Warm-up: JIT, statement caches, connections.
    const warm = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 20; i++) await get(warm, port, PATH);
    warm.destroy();
    const sequential = await phases(store, port, 1);
    const concurrent = await phases(store, port, CLIENTS);
    await new Promise(r => server.close(r));
    const duringWrites = phase =>
      Math.max(phase.paced.duringWrites.p95, phase.flatOut.p95);
    const worst = Math.max(duringWrites(sequential), duringWrites(concurrent));
    console.log(
      JSON.stringify({
        bench: 'inventory-api-writes',
        engine,
        clusters: N,
        path: PATH,
        historyRounds: HISTORY_ROUNDS,
        historyRows,
        sequential,
        concurrent: { clients: CLIENTS, ...concurrent },
        worstP95DuringWritesMs: worst,
        goalP95Ms: GOAL_MS,
        worstP95ToGoal: r2(worst / GOAL_MS),
        // The headline: p95 of requests during writes (paced round's write, or flat out), over the goal.
        p95DuringWritesToGoal: {
          sequential: r2(duringWrites(sequential) / GOAL_MS),
          concurrent: r2(duringWrites(concurrent) / GOAL_MS),
        },
        healthTransitionsPerRound: r2(transitions / (roundNo - roundsBefore)),
        seeding: {
          discoverySeconds: r2(seeding.discoverySeconds),
          historyPrefillSeconds: r2(prefillSeconds),
        },
        maxRssMb: r2(process.resourceUsage().maxRSS / 1024, 0),
        seconds: r2((Date.now() - started) / 1000, 1),
        note: 'one process: router, store and the writing round share its event loop, as in the backend; the machine is shared, one run',
      }),
    );
  } finally {
    await close();
  }
}
