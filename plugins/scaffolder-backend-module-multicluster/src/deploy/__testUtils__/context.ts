/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonValue } from '@backstage/types';

/** A logger that keeps every line (message and meta), for assertions. */
export function recordingLogger(
  lines: string[] = [],
): LoggerService & { lines: string[] } {
  const log = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  const logger: LoggerService & { lines: string[] } = {
    lines,
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

/**
 * Checkpoints as the scaffolder's task worker keeps them: a successful value
 * is stored and returned on a resumed run without calling fn again.
 */
export function checkpointStore() {
  const values = new Map<string, JsonValue>();
  const calls: string[] = [];
  return {
    values,
    calls,
    async checkpoint<T extends JsonValue | void>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (values.has(opts.key))
        return JSON.parse(JSON.stringify(values.get(opts.key))) as T;
      calls.push(opts.key);
      const value = await opts.fn();
      values.set(opts.key, (value ?? {}) as JsonValue);
      return JSON.parse(JSON.stringify(value ?? {})) as T;
    },
  };
}

/** A scaffolder ActionContext for the deploy action, recording outputs and logs. */
export function deployContext(
  input: Record<string, unknown>,
  options: {
    checkpoints?: ReturnType<typeof checkpointStore>;
    isDryRun?: boolean;
    workspacePath?: string;
  } = {},
) {
  const logger = recordingLogger();
  const outputs: Record<string, any> = {};
  const checkpoints = options.checkpoints ?? checkpointStore();
  // createMockActionContext takes only some fields; the others are set over it.
  const ctx = {
    ...createMockActionContext({
      input: input as any,
      logger,
      ...(options.workspacePath
        ? { workspacePath: options.workspacePath }
        : {}),
    }),
    isDryRun: options.isDryRun,
    checkpoint: checkpoints.checkpoint as any,
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    getInitiatorCredentials: async () =>
      mockCredentials.user('user:default/alice'),
  };
  return { ctx, logger, outputs, checkpoints };
}
