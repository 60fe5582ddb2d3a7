/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet, startFleet } from './fleet';
import { FleetOptions, WorkerFleetOptions } from './options';
import { startWorkerFleet, WorkerFleet } from './workers/fleet';
import { Role, ROLES } from './auth/roles';

const USAGE = `Usage: kube-emulator [options]

Serves N emulated Kubernetes API servers (HTTPS on 127.0.0.1) until SIGINT/SIGTERM, and writes a
kubeconfig with one context per cluster (emulator-1 … emulator-N).

Options:
  --clusters N             number of clusters (default 1)
  --kubeconfig FILE        kubeconfig to write (default .emulator/kubeconfig.yaml)
  --nodes M                nodes per cluster (default 3)
  --latency-ms X           added latency per request (default 0)
  --jitter-ms X            extra random latency in [0, X) (default 0)
  --error-rate R           fraction of requests answered 500 (default 0)
  --base-port P            cluster i listens on P + i - 1 (default: free ports)
  --admin-port P           admin HTTP endpoint port (default: a free port; "off" disables it)
  --admin-token T          bearer token the admin endpoint requires (default: generated)
  --admin-token-file FILE  where a generated admin token is kept and reused (mode 0600;
                           default DIR/admin-token with --data-dir, else admin-token next to
                           the kubeconfig)
  --name-prefix NAME       cluster names NAME-1 … NAME-N (default emulator)
  --server-version V       gitVersion, e.g. v1.31.4 or v1.31.4-eks-abc123 (default v1.31.4)
  --platform P             /version platform (default linux/amd64)
  --region R               node region label (default local)
  --zones A,B,C            node zones (default <region>a,b,c)
  --instance-type T        node instance type label (default emulated.large)
  --node-cpu Q             node CPU capacity (default 4)
  --node-memory Q          node memory capacity (default 16Gi)
  --node-pods N            pods per node (default 110)
  --node-label K=V         extra node label (repeatable)
  --pod-ready-delay-ms X   time before a new pod turns Running/Ready (default 1000)
  --data-dir DIR           persist each cluster (objects, CA, tokens, port) to DIR/<name>.json
  --workers N              serve light clusters (health, version, discovery, nodes; view and
                           probe tokens) from N worker processes, for fleets of thousands
  --roles R1,R2            also write <name>-<role> contexts for these roles
                           (admin, deploy, view, probe)
  --read-only-contexts     also write <name>-readonly contexts with the view token
  --quiet                  print only the summary
  -h, --help               show this help
`;

function numberFlag(
  values: Record<string, unknown>,
  name: string,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
    throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Turns command-line flags into fleet options; throws with the offending flag named. */
export function parseCli(argv: string[]):
  | {
      options: FleetOptions;
      kubeconfig: string;
      quiet: boolean;
      readOnlyContexts: boolean;
      roles: Role[];
      workers?: number;
    }
  | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      clusters: { type: 'string' },
      kubeconfig: { type: 'string' },
      nodes: { type: 'string' },
      'latency-ms': { type: 'string' },
      'jitter-ms': { type: 'string' },
      'error-rate': { type: 'string' },
      'base-port': { type: 'string' },
      'admin-port': { type: 'string' },
      'admin-token': { type: 'string' },
      'admin-token-file': { type: 'string' },
      roles: { type: 'string' },
      'name-prefix': { type: 'string' },
      'server-version': { type: 'string' },
      platform: { type: 'string' },
      region: { type: 'string' },
      zones: { type: 'string' },
      'instance-type': { type: 'string' },
      'node-cpu': { type: 'string' },
      'node-memory': { type: 'string' },
      'node-pods': { type: 'string' },
      'node-label': { type: 'string', multiple: true },
      'pod-ready-delay-ms': { type: 'string' },
      'data-dir': { type: 'string' },
      workers: { type: 'string' },
      'read-only-contexts': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const roles = (values.roles ?? '')
    .split(',')
    .map(r => r.trim())
    .filter(Boolean);
  for (const r of roles) {
    if (!ROLES.includes(r as Role))
      throw new Error(
        `--roles: unknown role ${JSON.stringify(r)}; the roles are ${ROLES.join(
          ', ',
        )}`,
      );
  }
  const nodeLabels: Record<string, string> = {};
  for (const l of values['node-label'] ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0)
      throw new Error(
        `--node-label must look like key=value, got ${JSON.stringify(l)}`,
      );
    nodeLabels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const nodeTemplate: Record<string, unknown> = {};
  if (values.region) nodeTemplate.region = values.region;
  if (values.zones)
    nodeTemplate.zones = values.zones
      .split(',')
      .map(z => z.trim())
      .filter(Boolean);
  if (values['instance-type'])
    nodeTemplate.instanceType = values['instance-type'];
  if (values['node-cpu']) nodeTemplate.cpu = values['node-cpu'];
  if (values['node-memory']) nodeTemplate.memory = values['node-memory'];
  const nodePods = numberFlag(values, 'node-pods');
  if (nodePods !== undefined) nodeTemplate.pods = nodePods;
  const version: Record<string, unknown> = {};
  if (values['server-version']) version.gitVersion = values['server-version'];
  if (values.platform) version.platform = values.platform;
  const faults: Record<string, unknown> = {};
  const latency = numberFlag(values, 'latency-ms');
  if (latency !== undefined) faults.latencyMs = latency;
  const jitter = numberFlag(values, 'jitter-ms');
  if (jitter !== undefined) faults.jitterMs = jitter;
  const errorRate = numberFlag(values, 'error-rate');
  if (errorRate !== undefined) faults.errorRate = errorRate;
  const adminPortRaw = values['admin-port'];
  const options: FleetOptions = {
    clusters: numberFlag(values, 'clusters') ?? 1,
    adminPort:
      adminPortRaw === 'off' ? null : numberFlag(values, 'admin-port') ?? 0,
  };
  const nodes = numberFlag(values, 'nodes');
  if (nodes !== undefined) options.nodes = nodes;
  const basePort = numberFlag(values, 'base-port');
  if (basePort !== undefined) options.basePort = basePort;
  if (values['name-prefix']) options.namePrefix = values['name-prefix'];
  const delay = numberFlag(values, 'pod-ready-delay-ms');
  if (delay !== undefined) options.podReadyDelayMs = delay;
  if (values['data-dir']) options.persistenceDir = resolve(values['data-dir']);
  const kubeconfig = resolve(values.kubeconfig ?? '.emulator/kubeconfig.yaml');
  if (values['admin-token']) options.adminToken = values['admin-token'];
  else if (options.adminPort !== null) {
    options.adminTokenFile = values['admin-token-file']
      ? resolve(values['admin-token-file'])
      : join(options.persistenceDir ?? dirname(kubeconfig), 'admin-token');
  }
  if (Object.keys(nodeTemplate).length)
    options.nodeTemplate = nodeTemplate as FleetOptions['nodeTemplate'];
  if (Object.keys(nodeLabels).length) options.nodeLabels = nodeLabels;
  if (Object.keys(version).length)
    options.version = version as FleetOptions['version'];
  if (Object.keys(faults).length) options.faults = faults;
  const workers = numberFlag(values, 'workers');
  if (workers !== undefined) {
    for (const flag of ['data-dir', 'pod-ready-delay-ms'] as const)
      if (values[flag] !== undefined)
        throw new Error(`--${flag} cannot be used with --workers`);
    if (roles.some(r => r === 'admin' || r === 'deploy'))
      throw new Error(
        '--roles: light clusters (--workers) have only the view and probe roles',
      );
  }
  return {
    options,
    kubeconfig,
    quiet: !!values.quiet,
    readOnlyContexts: !!values['read-only-contexts'],
    roles: roles as Role[],
    workers,
  };
}

/** The worker fleet a CLI invocation with --workers asks for. */
function workerOptions(
  options: FleetOptions,
  workers: number,
): WorkerFleetOptions {
  const { persistenceDir: _p, podReadyDelayMs: _d, ...rest } = options;
  return { ...(rest as WorkerFleetOptions), workers };
}

/** Runs the CLI: starts the fleet, writes the kubeconfig, serves until a signal. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (e) {
    process.stderr.write(`kube-emulator: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const started = Date.now();
  let fleet: Fleet | WorkerFleet | undefined;
  try {
    fleet = parsed.workers
      ? await startWorkerFleet(workerOptions(parsed.options, parsed.workers))
      : await startFleet(parsed.options);
    await fleet.writeKubeconfig(parsed.kubeconfig, {
      readOnlyContexts: parsed.readOnlyContexts,
      roles: parsed.roles,
    });
  } catch (e) {
    process.stderr.write(`kube-emulator: ${(e as Error).message}\n`);
    await fleet?.stop();
    process.exitCode = 1;
    return;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const { clusters } = fleet;
  out(
    `kube-emulator: ${clusters.length} cluster${
      clusters.length > 1 ? 's' : ''
    } listening on 127.0.0.1 (started in ${Date.now() - started} ms)`,
  );
  if (!parsed.quiet) {
    const shown =
      clusters.length <= 20
        ? clusters
        : [...clusters.slice(0, 10), ...clusters.slice(-3)];
    for (const c of shown) {
      if (c === clusters[clusters.length - 3] && shown.length < clusters.length)
        out('  …');
      out(`  ${c.name.padEnd(16)} ${c.url}`);
    }
  }
  out(
    `kubeconfig: ${parsed.kubeconfig} (contexts ${clusters[0].name}${
      clusters.length > 1 ? ` … ${clusters[clusters.length - 1].name}` : ''
    })`,
  );
  if (fleet.adminUrl) {
    out(
      `admin endpoint: ${
        fleet.adminUrl
      }/clusters (Authorization: Bearer <token${
        parsed.options.adminTokenFile
          ? ` in ${parsed.options.adminTokenFile}`
          : ' given with --admin-token'
      }>)`,
    );
  }
  out(
    `try: kubectl --kubeconfig ${parsed.kubeconfig} --context ${clusters[0].name} get nodes`,
  );
  out('Press Ctrl+C to stop.');

  await new Promise<void>(resolveStop => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`kube-emulator: second ${signal}, exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      out(`kube-emulator: ${signal} received, stopping…`);
      fleet!
        .stop()
        .catch(e =>
          process.stderr.write(
            `kube-emulator: error while stopping: ${(e as Error).message}\n`,
          ),
        )
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          out('kube-emulator: stopped');
          resolveStop();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
