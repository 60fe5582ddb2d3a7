/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type express from 'express';
import { randomUUID } from 'node:crypto';

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** The HTTP status an error stands for, as Backstage's error handler reads it. */
function statusOf(error: unknown): number {
  const e = error as { statusCode?: unknown; status?: unknown; name?: unknown };
  for (const value of [e?.statusCode, e?.status]) {
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 400 &&
      value <= 599
    ) {
      return value;
    }
  }
  return STATUS_BY_NAME[String(e?.name)] ?? 500;
}

const LOCATIONS: Record<string, string> = {
  query: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'request body field',
};

/**
 * The OpenAPI validator names fields as `request/query/limit` or
 * `request/body/placement/clusterNames/0`; callers read `query parameter
 * limit` and `request body field placement.clusterNames.0`.
 * @internal
 */
export function readableValidatorMessage(message: string): string {
  return message
    .replace(
      /request\/(query|params|headers|body)\/([^\s,]+)/g,
      (_all, where: string, path: string) =>
        `${LOCATIONS[where]} ${path.replace(/\//g, '.')}`,
    )
    .replace(/request\/(query|params|headers)\b/g, (_all, where: string) =>
      where === 'params' ? 'path' : where,
    )
    .replace(/request\/body\b/g, 'request body');
}

/** Long messages (an ajv report over a large body) are cut: no answer grows with the input. */
const MAX_MESSAGE = 2000;

/**
 * The plugin's error handler: Backstage error bodies, never with a stack
 * trace, whatever NODE_ENV says. A 4xx carries its message (it names the
 * field and what is allowed); anything else is logged in full and answered
 * with a reference only, so no SQL, path or internal detail reaches a caller.
 * @internal
 */
export function errorHandler(
  logger: LoggerService,
): express.ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const statusCode = statusOf(error);
    let name = String((error as Error)?.name ?? 'Error');
    let message = String((error as Error)?.message ?? '');
    if (statusCode >= 500) {
      const ref = randomUUID();
      logger.error(
        `${req.method} ${req.path} failed with ${statusCode} (ref ${ref})`,
        error as Error,
      );
      name = statusCode === 503 ? name : 'Error';
      message =
        statusCode === 503
          ? message.slice(0, MAX_MESSAGE)
          : `Internal error; the backend log has the details (ref ${ref})`;
    } else {
      if (statusCode === 400) message = readableValidatorMessage(message);
      if (message.length > MAX_MESSAGE) {
        message = `${message.slice(0, MAX_MESSAGE)}…`;
      }
    }
    res.status(statusCode).json({
      error: { name, message },
      request: { method: req.method, url: req.originalUrl.slice(0, 1000) },
      response: { statusCode },
    });
  };
}
