/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCluster } from '../cluster';
import type { EmulatedCluster } from '../clusterTypes';
import { startFleet } from '../fleet';
import { eventually, Kubectl } from '../__testUtils__/kubectl';

jest.setTimeout(30_000);

/** One plain HTTP GET on a fresh connection; rejects with the socket error code. */
function get(
  ip: string,
  port: number,
  path = '/',
  host?: string,
): Promise<{ status: number; body: any }> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: ip,
        port,
        path,
        agent: false,
        headers: host ? { Host: host } : {},
      },
      res => {
        let text = '';
        res.on('data', c => (text += c));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', e => fail((e as NodeJS.ErrnoException).code ?? e));
    req.end();
  });
}

function unprivilegedPortStart(): number {
  try {
    return Number(
      readFileSync(
        '/proc/sys/net/ipv4/ip_unprivileged_port_start',
        'utf8',
      ).trim(),
    );
  } catch {
    return 1024;
  }
}

/** Whether this process may bind port 80. */
function mayBindPort80(): boolean {
  return process.getuid?.() === 0 || unprivilegedPortStart() <= 80;
}

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - {name: http, port: 8080, targetPort: 80}
  - {name: admin, port: 9090, targetPort: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
`;

function address(cluster: EmulatedCluster, resource: string, name: string) {
  return cluster.store.get(resource, name, 'shop')?.status?.loadBalancer
    ?.ingress?.[0];
}

describe('LoadBalancer Services and Ingresses get addresses served over HTTP', () => {
  let dir: string;
  let cluster: EmulatedCluster;
  let kubectl: Kubectl;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-emulator-lb-'));
    cluster = await startCluster({
      name: 'lb',
      nodes: 2,
      podReadyDelayMs: 20,
      persistenceFile: join(dir, 'lb.json'),
    });
    kubectl = new Kubectl(cluster.kubeconfigYaml());
    await kubectl.ok(['create', 'namespace', 'shop']);
    await kubectl.ok(['apply', '-f', kubectl.file('app.yaml', APP)]);
    await kubectl.ok([
      '-n',
      'shop',
      'rollout',
      'status',
      'deployment/web',
      '--timeout=20s',
    ]);
  });

  afterAll(async () => {
    await cluster?.stop();
    kubectl?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the address as EXTERNAL-IP and answers on every Service port with a ready pod', async () => {
    const lb = await eventually(() => address(cluster, 'services', 'web'));
    expect(lb.ip).toMatch(/^127\.(\d+)\.(\d+)\.(\d+)$/);
    expect(lb.ip).not.toMatch(/^127\.0\./);
    expect(lb.ports).toEqual([
      { port: 8080, protocol: 'TCP' },
      { port: 9090, protocol: 'TCP' },
    ]);
    const svc = await kubectl.ok(['-n', 'shop', 'get', 'svc', 'web']);
    expect(svc).toMatch(
      new RegExp(
        `^web\\s+LoadBalancer\\s+10\\.96\\.\\S+\\s+${lb.ip.replace(
          /\./g,
          '\\.',
        )}\\s+8080:3\\d+/TCP,9090:3\\d+/TCP`,
        'm',
      ),
    );

    const pods = cluster.store.list('pods', 'shop').map(p => p.metadata.name);
    const first = await get(lb.ip, 8080, '/cart');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      cluster: 'lb',
      namespace: 'shop',
      service: 'web',
      port: 8080,
      targetPort: 80,
      path: '/cart',
    });
    expect(pods).toContain(first.body.pod);
    const second = await get(lb.ip, 9090);
    expect(second.body.port).toBe(9090);
    // Round robin over the ready pods.
    expect(new Set([first.body.pod, second.body.pod]).size).toBe(2);
    const events = await kubectl.ok(['-n', 'shop', 'get', 'events']);
    expect(events).toContain('EnsuredLoadBalancer');
  });

  it('answers 503 when no pod is ready', async () => {
    const lb = address(cluster, 'services', 'web');
    await kubectl.ok(['-n', 'shop', 'scale', 'deployment/web', '--replicas=0']);
    await eventually(async () => (await get(lb.ip, 8080)).status === 503);
    expect((await get(lb.ip, 8080)).body).toEqual({
      cluster: 'lb',
      namespace: 'shop',
      service: 'web',
      error: 'no ready pods for service shop/web',
    });
    await kubectl.ok(['-n', 'shop', 'scale', 'deployment/web', '--replicas=2']);
    await eventually(async () => (await get(lb.ip, 8080)).status === 200);
  });

  it('routes an Ingress by host and path on port 80', async () => {
    const ing = await eventually(() => address(cluster, 'ingresses', 'site'));
    expect(ing.ip).not.toBe(address(cluster, 'services', 'web').ip);
    const port = ing.ports[0].port;
    expect(port === 80).toBe(mayBindPort80());
    const listed = await kubectl.ok(['-n', 'shop', 'get', 'ingress', 'site']);
    expect(listed).toMatch(
      new RegExp(
        `^site\\s+<none>\\s+shop\\.example\\.com\\s+${ing.ip}\\s+80`,
        'm',
      ),
    );
    const web = await get(ing.ip, port, '/products', 'shop.example.com');
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({
      cluster: 'lb',
      namespace: 'shop',
      ingress: 'site',
      service: 'web',
      port: 8080,
    });
    const api = await get(ing.ip, port, '/api/orders', 'shop.example.com');
    expect(api.status).toBe(503);
    expect(api.body.error).toBe('no ready pods for service shop/api');
    const other = await get(ing.ip, port, '/', 'other.example.com');
    expect(other.status).toBe(404);
    expect(other.body.error).toContain('no rule of ingress shop/site matches');
  });

  it('stops answering while the cluster is stopped, and keeps its addresses across restarts and persistence', async () => {
    const svc = address(cluster, 'services', 'web');
    const ing = address(cluster, 'ingresses', 'site');
    await cluster.stop();
    await expect(get(svc.ip, 8080)).rejects.toBe('ECONNREFUSED');
    await expect(get(ing.ip, ing.ports[0].port)).rejects.toBe('ECONNREFUSED');
    await cluster.start();
    expect((await get(svc.ip, 8080)).status).toBe(200);
    expect(address(cluster, 'services', 'web')).toEqual(svc);

    // A new process would read the persistence file: the same addresses come back.
    await cluster.stop();
    cluster = await startCluster({
      name: 'lb',
      nodes: 2,
      podReadyDelayMs: 20,
      persistenceFile: join(dir, 'lb.json'),
    });
    await eventually(async () => (await get(svc.ip, 8080)).status === 200);
    expect(address(cluster, 'services', 'web')).toEqual(svc);
    expect(address(cluster, 'ingresses', 'site')).toEqual(ing);
  });

  it('releases the address when the Service stops being a LoadBalancer or is deleted', async () => {
    const kubectl2 = new Kubectl(cluster.kubeconfigYaml());
    try {
      const svc = address(cluster, 'services', 'web');
      await kubectl2.ok([
        '-n',
        'shop',
        'patch',
        'svc',
        'web',
        '-p',
        '{"spec":{"type":"ClusterIP"}}',
      ]);
      await eventually(() => !address(cluster, 'services', 'web'));
      await expect(get(svc.ip, 8080)).rejects.toBe('ECONNREFUSED');
      const ing = address(cluster, 'ingresses', 'site');
      await kubectl2.ok(['-n', 'shop', 'delete', 'ingress', 'site']);
      await eventually(async () =>
        get(ing.ip, ing.ports[0].port).then(
          () => false,
          code => code === 'ECONNREFUSED',
        ),
      );
    } finally {
      kubectl2.cleanup();
    }
  });

  it('gives every Service of every cluster of a fleet its own address', async () => {
    const fleet = await startFleet({ clusters: 3, nodes: 1, adminPort: null });
    try {
      for (const c of fleet.clusters) {
        for (const name of ['a', 'b']) {
          c.store.create('services', {
            metadata: { name, namespace: 'default' },
            spec: {
              type: 'LoadBalancer',
              selector: { app: name },
              ports: [{ name: 'http', port: 8080 }],
            },
          });
        }
      }
      const ips = await eventually(() => {
        const all = fleet.clusters.flatMap(c =>
          ['a', 'b'].map(
            n =>
              c.store.get('services', n, 'default')?.status?.loadBalancer
                ?.ingress?.[0]?.ip,
          ),
        );
        return all.every(Boolean) ? all : undefined;
      });
      expect(new Set(ips).size).toBe(6);
      for (const ip of ips) expect((await get(ip, 8080)).status).toBe(503);
    } finally {
      await fleet.stop();
    }
  });
});

describe('ports a user may not bind', () => {
  it('serves a free port instead of port 80 and records it in status.loadBalancer.ingress[].ports', async () => {
    // Run the CLI as an unprivileged user (nobody when these tests run as root).
    const dir = mkdtempSync(join(tmpdir(), 'kube-emulator-lb-user-'));
    chmodSync(dir, 0o777);
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    const bin = resolve(__dirname, '..', '..', 'bin', 'kube-emulator');
    const asRoot = process.getuid?.() === 0;
    const child = spawn(
      process.execPath,
      [bin, '--kubeconfig', kubeconfig, '--admin-port', 'off', '--nodes', '1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir },
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      },
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const exited = new Promise(r => child.on('exit', r));
    try {
      await eventually(
        () => existsSync(kubeconfig) && out.includes('Press Ctrl+C'),
        20_000,
      ).catch(e => {
        throw new Error(`${e.message}\n${out}`);
      });
      const kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
      try {
        await kubectl.ok([
          'create',
          'service',
          'loadbalancer',
          'edge',
          '--tcp=80:8080',
        ]);
        const fallback = unprivilegedPortStart() > 80;
        const status = await eventually(async () => {
          const svc = JSON.parse(
            await kubectl.ok(['get', 'svc', 'edge', '-o', 'json']),
          );
          return svc.status?.loadBalancer?.ingress?.[0];
        });
        const served = status.ports[0].port;
        expect(served === 80).toBe(!fallback);
        expect(served >= 1024 || !fallback).toBe(true);
        const on80 = await get(status.ip, 80).then(
          () => 'answered',
          code => code,
        );
        expect(on80).toBe(fallback ? 'ECONNREFUSED' : 'answered');
        const res = await get(status.ip, served);
        expect(res.status).toBe(503);
        expect(res.body.service).toBe('edge');
      } finally {
        kubectl.cleanup();
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
