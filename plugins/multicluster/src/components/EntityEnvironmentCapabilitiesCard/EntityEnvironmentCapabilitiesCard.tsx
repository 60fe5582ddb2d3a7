/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  Box,
  Chip,
  Divider,
  IconButton,
  Tooltip,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import WarningIcon from '@material-ui/icons/Warning';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ENVIRONMENT,
  Environment,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { environmentAnnotation } from '../../lib/entity';
import { isNotFound } from '../../lib/errors';
import { formatTimestamp, ttlLeft } from '../../lib/format';
import { useEnvironmentLink } from '../../lib/links';
import { EnvironmentStatusIndicator } from '../../lib/status';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { EnvironmentComponents } from '../shared/EnvironmentComponents';
import {
  ACTIVE_ENVIRONMENT_STATUSES,
  EnvironmentProgress,
} from '../shared/EnvironmentProgress';
import { formatCost } from '../shared/ChangePlanView';
import { FactList } from '../shared/FactList';
import { OwnerLink } from '../shared/OwnerLink';
import { StaleDataWarning } from '../shared/StaleDataWarning';

/** The card's title; stable, so end-to-end tests and users can find it. */
export const ENVIRONMENT_CARD_TITLE = 'Environment capabilities';

/** While an environment changes, poll quickly so progress moves; otherwise rarely. */
export function environmentRefreshInterval(
  env: Environment | undefined,
): number {
  return env && ACTIVE_ENVIRONMENT_STATUSES.includes(env.status)
    ? 5_000
    : 60_000;
}

/** True when any component no longer matches what was created. */
export function hasDrift(env: Environment): boolean {
  return env.components.some(c => c.status === 'drifted');
}

/** A badge for the card header when the environment has drifted. */
export function DriftBadge(props: { environment: Environment }) {
  if (!hasDrift(props.environment)) {
    return null;
  }
  const drifted = props.environment.components
    .filter(c => c.status === 'drifted')
    .map(c => c.key);
  return (
    <Tooltip
      title={`Drifted: ${drifted.join(
        ', ',
      )}. What runs no longer matches what was created.`}
    >
      <Chip
        size="small"
        color="secondary"
        icon={<WarningIcon />}
        label="Drift detected"
      />
    </Tooltip>
  );
}

/** Type, cloud, owner, status and TTL of an environment. */
export function EnvironmentFacts(props: {
  environment: Environment;
  now?: number;
}) {
  const env = props.environment;
  const ttl = ttlLeft(env.expiresAt, props.now ?? Date.now());
  return (
    <FactList
      facts={[
        ['Type', env.type],
        ['Cloud', env.cloud],
        ['Owner', <OwnerLink owner={env.owner} />],
        [
          'Status',
          <>
            <EnvironmentStatusIndicator status={env.status} />
            {env.reason && (
              <Typography
                variant="body2"
                color="textSecondary"
                component="span"
              >
                {' '}
                — {env.reason}
              </Typography>
            )}
          </>,
        ],
        [
          'Estimated cost',
          <Tooltip title="From the hourly prices the environment's templates declare (730 hours a month)">
            <span>{formatCost(env.cost)}</span>
          </Tooltip>,
        ],
        ...(env.revision !== undefined
          ? ([['Revision', String(env.revision)]] as Array<[string, string]>)
          : []),
        [
          'TTL',
          <Tooltip
            title={
              env.expiresAt
                ? `Expires ${formatTimestamp(env.expiresAt)}`
                : 'Lives until deleted'
            }
          >
            <span>{ttl.text}</span>
          </Tooltip>,
        ],
      ]}
    />
  );
}

/**
 * What an entity's environment gives it: each component with its template
 * and capabilities to copy. Secret capabilities show as "stored secret".
 * @public
 */
export function EntityEnvironmentCapabilitiesCard() {
  const { entity } = useEntity();
  const name = environmentAnnotation(entity);
  const api = useApi(multiclusterApiRef);
  const environmentLink = useEnvironmentLink();
  const state = useRefreshingAsync<Environment | undefined>(
    async signal => (name ? api.getEnvironment(name, { signal }) : undefined),
    [api, name],
    { intervalMs: environmentRefreshInterval },
  );

  if (!name) {
    return (
      <InfoCard title={ENVIRONMENT_CARD_TITLE}>
        <EmptyState
          missing="field"
          title="No environment"
          description={`Add the ${ANNOTATION_ENVIRONMENT} annotation to this entity to show its environment.`}
        />
      </InfoCard>
    );
  }

  const refreshButton = (
    <Tooltip title="Reload environment">
      <IconButton
        aria-label="Reload environment"
        onClick={state.refresh}
        disabled={state.refreshing}
      >
        <RefreshIcon />
      </IconButton>
    </Tooltip>
  );

  if (state.loading) {
    return (
      <InfoCard title={ENVIRONMENT_CARD_TITLE} subheader={name}>
        <Progress />
      </InfoCard>
    );
  }
  if (state.error || !state.value) {
    return (
      <InfoCard
        title={ENVIRONMENT_CARD_TITLE}
        subheader={name}
        action={refreshButton}
      >
        {isNotFound(state.error) ? (
          <EmptyState
            missing="data"
            title={`Environment ${name} not found`}
            description={`The ${ANNOTATION_ENVIRONMENT} annotation names an environment that does not exist or was destroyed.`}
          />
        ) : (
          <ResponseErrorPanel
            title={`Could not load environment ${name}`}
            error={state.error ?? new Error('No data')}
          />
        )}
      </InfoCard>
    );
  }

  const env = state.value;
  return (
    <InfoCard
      title={ENVIRONMENT_CARD_TITLE}
      subheader={
        environmentLink ? (
          <Link to={environmentLink(env.name)}>{env.name}</Link>
        ) : (
          env.name
        )
      }
      action={
        <Box display="flex" alignItems="center">
          <DriftBadge environment={env} />
          {refreshButton}
        </Box>
      }
    >
      {state.refreshError && (
        <Box mb={1}>
          <StaleDataWarning
            error={state.refreshError}
            loadedAt={state.loadedAt}
          />
        </Box>
      )}
      <EnvironmentFacts environment={env} />
      <EnvironmentProgress environment={env} />
      <Box my={1}>
        <Divider />
      </Box>
      <Typography variant="h6" component="h2" gutterBottom>
        Components
      </Typography>
      <EnvironmentComponents
        components={env.components}
        environment={env.name}
      />
    </InfoCard>
  );
}
