/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { KubeObject } from '../store/store';

/**
 * How an emulated container behaves once its pod is on a node:
 *
 * - `ready`: starts and passes its readiness probe (every image, unless told otherwise);
 * - `never-ready`: starts and keeps failing its readiness probe (the pod is Running, never
 *   Ready; a Job's pod never completes);
 * - `pull-error`: its image cannot be pulled (ErrImagePull, then ImagePullBackOff; the pod
 *   stays Pending);
 * - `crash-loop`: starts and exits with code 1, over and over (CrashLoopBackOff).
 *
 * An image reference containing `never-ready`, `pull-error` or `crash-loop` (in its name or
 * tag: `ghcr.io/acme/shop:2.0-never-ready`, `example/never-ready:1`) asks for that behaviour;
 * so does the pod annotation `kube-emulator.archipelago.dev/container-behavior` with one of
 * those values (every container), or `name=behavior` pairs separated by commas.
 *
 * @public
 */
export type ContainerBehavior =
  | 'ready'
  | 'never-ready'
  | 'pull-error'
  | 'crash-loop';

/** The pod annotation that sets container behaviours. @public */
export const BEHAVIOR_ANNOTATION =
  'kube-emulator.archipelago.dev/container-behavior';

const FAILURES: ContainerBehavior[] = [
  'pull-error',
  'crash-loop',
  'never-ready',
];

function fromAnnotation(
  value: string | undefined,
  container: string,
): ContainerBehavior | undefined {
  if (!value) return undefined;
  const wanted = value.trim();
  if ((FAILURES as string[]).includes(wanted) || wanted === 'ready')
    return wanted as ContainerBehavior;
  for (const pair of wanted.split(',')) {
    const [name, behavior] = pair.split('=').map(s => s.trim());
    if (
      name === container &&
      ((FAILURES as string[]).includes(behavior) || behavior === 'ready')
    )
      return behavior as ContainerBehavior;
  }
  return undefined;
}

/** The behaviour of one container of a pod (the annotation first, then the image reference). */
export function containerBehavior(
  pod: KubeObject,
  container: { name?: string; image?: string },
): ContainerBehavior {
  const annotated = fromAnnotation(
    pod.metadata.annotations?.[BEHAVIOR_ANNOTATION],
    container.name ?? '',
  );
  if (annotated) return annotated;
  const image = (container.image ?? '').toLowerCase();
  return FAILURES.find(f => image.includes(f)) ?? 'ready';
}
