/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { createHash, randomBytes } from 'node:crypto';
import { KubeObject } from '../store/store';
import { ControllerContext } from './context';
import { ContainerBehavior } from './images';
import type { Obj } from './pods';

// What the kubelet reports of a pod's containers: their statuses and events.

function imageId(image: string): string {
  const repo = image.split('@')[0].replace(/:[^/:]+$/, '');
  let full = `docker.io/library/${repo}`;
  if (repo.includes('/'))
    full = repo.split('/')[0].includes('.') ? repo : `docker.io/${repo}`;
  return `${full}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

export function containerStatus(
  c: Obj,
  state: Obj,
  ready: boolean,
  started: boolean,
  containerId?: string,
): Obj {
  const s: Obj = {
    name: c.name,
    image: c.image,
    imageID: started ? imageId(c.image) : '',
    ready,
    restartCount: 0,
    started,
    state,
    lastState: {},
    volumeMounts: [],
  };
  if (containerId) s.containerID = containerId;
  return s;
}

/** The status of one container once the kubelet has tried to start it. */
export function startedContainer(
  c: Obj,
  behavior: ContainerBehavior,
  now: string,
): Obj {
  const id = `containerd://${randomBytes(32).toString('hex')}`;
  switch (behavior) {
    case 'pull-error':
      return containerStatus(
        c,
        {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${c.image}"`,
          },
        },
        false,
        false,
      );
    case 'crash-loop':
      return {
        ...containerStatus(
          c,
          {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 10s restarting failed container=${c.name}`,
            },
          },
          false,
          false,
          id,
        ),
        imageID: imageId(c.image),
        restartCount: 1,
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: now,
            finishedAt: now,
            containerID: id,
          },
        },
      };
    default:
      return containerStatus(
        c,
        { running: { startedAt: now } },
        behavior === 'ready',
        true,
        id,
      );
  }
}

/** The events a kubelet records for a container it started (or failed to). */
export function containerEvents(
  ctx: ControllerContext,
  pod: KubeObject,
  c: Obj,
  behavior: ContainerBehavior,
  host: string,
) {
  const record = (
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ) => ctx.record(pod, type, reason, message, 'kubelet', host);
  if (behavior === 'pull-error') {
    record('Normal', 'Pulling', `Pulling image "${c.image}"`);
    record(
      'Warning',
      'Failed',
      `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
    );
    record('Warning', 'Failed', 'Error: ErrImagePull');
    record('Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
    record('Warning', 'Failed', 'Error: ImagePullBackOff');
    return;
  }
  record(
    'Normal',
    'Pulled',
    `Container image "${c.image}" already present on machine`,
  );
  record('Normal', 'Created', `Created container ${c.name}`);
  record('Normal', 'Started', `Started container ${c.name}`);
  if (behavior === 'never-ready') {
    record(
      'Warning',
      'Unhealthy',
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
    );
  } else if (behavior === 'crash-loop') {
    record(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
    );
  }
}
