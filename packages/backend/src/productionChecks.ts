/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import type { Config } from '@backstage/config';

/**
 * The environments key of app-config.yaml, for local use only. Committed, so
 * known to everyone: a production backend refuses to seal secrets with it.
 * (productionChecks.test.ts keeps it equal to app-config.yaml's.)
 */
export const DEVELOPMENT_ENVIRONMENTS_KEY =
  'archipelago-local-dev-only-key-do-not-use-in-production';

/**
 * A backend runs in production when NODE_ENV says so (the Dockerfile and the
 * README set it) or when its config does (`auth.environment: production`, as
 * app-config.production.yaml has).
 */
export function isProduction(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return (
    env.NODE_ENV === 'production' ||
    config.getOptionalString('auth.environment') === 'production'
  );
}

/**
 * Pure: what keeps this configuration from starting, each problem naming the
 * variable to set. app-config.production.yaml lists the variables it reads in
 * `archipelago.requiredEnvironment`: without this check an unset one would
 * silently fall back to app-config.yaml's development value (Backstage drops a
 * `${VAR}` that is unset) or to a library default.
 */
export function productionProblems(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const problems: string[] = [];
  const required =
    config.getOptionalStringArray('archipelago.requiredEnvironment') ?? [];
  for (const name of required) {
    if (!env[name]?.trim()) {
      problems.push(
        `environment variable ${name} is not set (archipelago.requiredEnvironment lists it)`,
      );
    }
  }
  if (
    isProduction(config, env) &&
    config.getOptionalString('multicluster.environments.secretKey') ===
      DEVELOPMENT_ENVIRONMENTS_KEY
  ) {
    problems.push(
      'multicluster.environments.secretKey is the development key of app-config.yaml; ' +
        'set ARCHIPELAGO_ENVIRONMENTS_SECRET_KEY (32 or more random characters)',
    );
  }
  return problems;
}

/** Throws one error naming every problem (see productionProblems). */
export function assertStartable(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const problems = productionProblems(config, env);
  if (problems.length > 0) {
    throw new Error(
      `Refusing to start: ${problems.join(
        '; ',
      )}. See the README's production section.`,
    );
  }
}
