/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EnvironmentEventLevel } from '@archipelago/multicluster-common';
import type { EventStore } from './store/EventStore';

/**
 * Records each step of an environment: an event row (served by REST) and the
 * same line in the backend log. Callers redact first: no secrets reach here.
 */
export class EnvironmentEventLog {
  constructor(
    private readonly events: EventStore,
    private readonly logger: LoggerService,
  ) {}

  async record(
    name: string,
    level: EnvironmentEventLevel,
    component: string | undefined,
    message: string,
  ): Promise<void> {
    const fields = { environment: name, ...(component ? { component } : {}) };
    const line = `Environment ${name}: ${message}`;
    if (level === 'error') this.logger.error(line, fields);
    else if (level === 'warning') this.logger.warn(line, fields);
    else this.logger.info(line, fields);
    await this.events.add(name, { level, component, message });
  }
}
