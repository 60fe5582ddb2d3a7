/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';

/**
 * A logger that keeps every line (message and fields), so tests can scan the
 * whole log for secrets.
 * @public
 */
export function capturingLogger(
  lines: string[] = [],
): LoggerService & { lines: string[] } {
  const make = (fields: Record<string, unknown>): LoggerService => {
    const write =
      (level: string) =>
      (message: string, meta?: Error | Record<string, unknown>) => {
        lines.push(
          `${level} ${message} ${JSON.stringify({
            ...fields,
            ...(meta instanceof Error ? { error: meta.message } : meta),
          })}`,
        );
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (more: Record<string, unknown>) => make({ ...fields, ...more }),
    };
  };
  return Object.assign(make({}), { lines });
}

/**
 * A logger service factory for `startTestBackend` that writes every line of
 * every plugin and module into `lines`.
 * @public
 */
export function capturingLoggerFactory(lines: string[]) {
  return createServiceFactory({
    service: coreServices.logger,
    deps: {},
    factory: () => capturingLogger(lines),
  });
}
