/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { ResourceDef } from './resources';

type Obj = Record<string, any>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setDefault(obj: Obj, key: string, value: unknown) {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

function defaultContainer(c: Obj) {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    const ref = c.image.split('@')[0];
    const tag =
      ref.includes(':') && !ref.endsWith(']')
        ? ref.slice(ref.lastIndexOf(':') + 1)
        : '';
    const hasTag = tag && !tag.includes('/');
    c.imagePullPolicy =
      c.image.includes('@') || (hasTag && tag !== 'latest')
        ? 'IfNotPresent'
        : 'Always';
  }
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports))
    for (const p of c.ports) if (isObject(p)) setDefault(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr = c[probe];
    if (!isObject(pr)) continue;
    setDefault(pr, 'timeoutSeconds', 1);
    setDefault(pr, 'periodSeconds', 10);
    setDefault(pr, 'successThreshold', 1);
    setDefault(pr, 'failureThreshold', 3);
    if (isObject(pr.httpGet)) setDefault(pr.httpGet, 'scheme', 'HTTP');
  }
}

/** The defaults the API server's defaulting functions fill into a pod spec. */
export function defaultPodSpec(spec: Obj, inTemplate: boolean) {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers']) {
    if (Array.isArray(spec[list]))
      for (const c of spec[list]) if (isObject(c)) defaultContainer(c);
  }
  if (!inTemplate) {
    setDefault(spec, 'serviceAccountName', spec.serviceAccount ?? 'default');
    setDefault(spec, 'serviceAccount', spec.serviceAccountName);
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
    if (!Array.isArray(spec.tolerations)) {
      spec.tolerations = [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ];
    }
  }
}

function defaultTemplate(spec: Obj) {
  if (!isObject(spec.template)) return;
  setDefault(spec.template, 'metadata', {});
  if (isObject(spec.template.spec)) defaultPodSpec(spec.template.spec, true);
}

/** Applies defaulting in place, as decoding a request does on the real server. */
export function applyDefaults(def: ResourceDef, obj: Obj) {
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  switch (def.kind) {
    case 'Namespace':
      obj.spec = spec ?? {};
      setDefault(obj.spec, 'finalizers', ['kubernetes']);
      obj.status = {
        phase: 'Active',
        ...(isObject(obj.status) ? obj.status : {}),
      };
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      break;
    case 'Pod':
      if (spec) defaultPodSpec(spec, false);
      break;
    case 'Deployment':
      if (!spec) break;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      setDefault(spec, 'strategy', {});
      setDefault(spec.strategy, 'type', 'RollingUpdate');
      if (spec.strategy.type === 'RollingUpdate') {
        setDefault(spec.strategy, 'rollingUpdate', {});
        setDefault(spec.strategy.rollingUpdate, 'maxUnavailable', '25%');
        setDefault(spec.strategy.rollingUpdate, 'maxSurge', '25%');
      }
      defaultTemplate(spec);
      break;
    case 'ReplicaSet':
      if (!spec) break;
      setDefault(spec, 'replicas', 1);
      defaultTemplate(spec);
      break;
    case 'StatefulSet':
      if (!spec) break;
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', {
        type: 'RollingUpdate',
        rollingUpdate: { partition: 0 },
      });
      setDefault(spec, 'persistentVolumeClaimRetentionPolicy', {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      });
      defaultTemplate(spec);
      break;
    case 'DaemonSet':
      if (!spec) break;
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'updateStrategy', {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      });
      defaultTemplate(spec);
      break;
    case 'Job':
      if (!spec) break;
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'completions', 1);
      setDefault(spec, 'backoffLimit', 6);
      setDefault(spec, 'completionMode', 'NonIndexed');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
      defaultTemplate(spec);
      break;
    case 'CronJob':
      if (!spec) break;
      setDefault(spec, 'concurrencyPolicy', 'Allow');
      setDefault(spec, 'suspend', false);
      setDefault(spec, 'successfulJobsHistoryLimit', 3);
      setDefault(spec, 'failedJobsHistoryLimit', 1);
      if (isObject(spec.jobTemplate?.spec)) {
        const js = spec.jobTemplate.spec;
        if (isObject(js.template?.spec)) defaultPodSpec(js.template.spec, true);
      }
      break;
    case 'Service':
      if (!spec) break;
      setDefault(spec, 'type', 'ClusterIP');
      if (spec.type !== 'ExternalName') {
        setDefault(spec, 'sessionAffinity', 'None');
        setDefault(spec, 'ipFamilies', ['IPv4']);
        setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
        setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        setDefault(spec, 'externalTrafficPolicy', 'Cluster');
      }
      if (Array.isArray(spec.ports)) {
        for (const p of spec.ports) {
          if (!isObject(p)) continue;
          setDefault(p, 'protocol', 'TCP');
          setDefault(p, 'targetPort', p.port);
        }
      }
      break;
    case 'Secret':
      setDefault(obj, 'type', 'Opaque');
      if (isObject(obj.stringData)) {
        // stringData is write-only: it is merged into data, base64-encoded.
        obj.data = { ...(obj.data ?? {}) };
        for (const [k, v] of Object.entries(obj.stringData)) {
          obj.data[k] = Buffer.from(String(v)).toString('base64');
        }
        delete obj.stringData;
      }
      break;
    case 'HorizontalPodAutoscaler':
      if (spec) setDefault(spec, 'minReplicas', 1);
      break;
    default:
      break;
  }
}
