/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { useParams } from 'react-router-dom';
import {
  Box,
  Chip,
  Grid,
  IconButton,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Tooltip,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Environment,
  EnvironmentEvent,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { isNotFound } from '../../lib/errors';
import { formatRelativeTime, formatTimestamp } from '../../lib/format';
import { useClusterLink, useEnvironmentsLink } from '../../lib/links';
import { eventLevelPresentation, ToneStatus } from '../../lib/status';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import {
  DriftBadge,
  EnvironmentFacts,
  environmentRefreshInterval,
} from '../EntityEnvironmentCapabilitiesCard/EntityEnvironmentCapabilitiesCard';
import { ChangePlanView } from '../shared/ChangePlanView';
import { EnvironmentComponents } from '../shared/EnvironmentComponents';
import { EnvironmentActions } from './EnvironmentActions';
import { EnvironmentRevisions } from './EnvironmentRevisions';
import { EnvironmentProgress } from '../shared/EnvironmentProgress';
import { FactList } from '../shared/FactList';
import { StaleDataWarning } from '../shared/StaleDataWarning';

/** The engine's steps, newest first, each with its level, component and time. */
export function EventTimeline(props: { events: EnvironmentEvent[] }) {
  const events = [...props.events].sort(
    (a, b) => Date.parse(b.at) - Date.parse(a.at),
  );
  if (events.length === 0) {
    return <EmptyState missing="data" title="No events yet" />;
  }
  const now = Date.now();
  return (
    <List dense aria-label="Event timeline">
      {events.map((e, i) => {
        const level = eventLevelPresentation(e.level);
        return (
          <ListItem
            key={`${e.at}-${i}`}
            alignItems="flex-start"
            divider={i < events.length - 1}
          >
            <ListItemIcon>
              <ToneStatus tone={level.tone}>{level.label}</ToneStatus>
            </ListItemIcon>
            <ListItemText
              primary={
                <>
                  {e.component && (
                    <Chip
                      size="small"
                      label={e.component}
                      style={{ marginRight: 8 }}
                    />
                  )}
                  {e.message}
                </>
              }
              secondary={
                <Tooltip title={formatTimestamp(e.at)}>
                  <span>{formatRelativeTime(e.at, now)}</span>
                </Tooltip>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}

/** The cluster an environment created, linked when the clusters page is installed. */
function ClusterIdLink(props: { id?: string }) {
  const clusterLink = useClusterLink();
  if (!props.id) {
    return <>—</>;
  }
  return clusterLink ? (
    <Link to={clusterLink(props.id)}>{props.id}</Link>
  ) : (
    <>{props.id}</>
  );
}

/** One environment: overview, components with capabilities, and the event timeline. */
export function EnvironmentPage() {
  const { name = '' } = useParams();
  const api = useApi(multiclusterApiRef);
  const environmentsLink = useEnvironmentsLink();
  const env = useRefreshingAsync(
    signal => api.getEnvironment(name, { signal }),
    [api, name],
    {
      intervalMs: environmentRefreshInterval,
    },
  );
  // Events follow the environment's pace: fast while it changes.
  const events = useRefreshingAsync(
    signal => api.listEnvironmentEvents(name, {}, { signal }),
    [api, name],
    { intervalMs: () => environmentRefreshInterval(env.value) },
  );
  const refresh = () => {
    env.refresh();
    events.refresh();
  };

  const header = (
    <Header
      title={name}
      type="Environment"
      typeLink={environmentsLink?.()}
      subtitle={
        env.value ? `${env.value.type} on ${env.value.cloud}` : undefined
      }
    />
  );

  if (env.loading) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          <Progress />
        </Content>
      </Page>
    );
  }
  if (env.error || !env.value) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          {isNotFound(env.error) ? (
            <EmptyState
              missing="data"
              title="Environment not found"
              description={`There is no environment named "${name}". It may have been destroyed.`}
              action={
                environmentsLink ? (
                  <Link to={environmentsLink()}>Back to all environments</Link>
                ) : undefined
              }
            />
          ) : (
            <ResponseErrorPanel
              title="Could not load the environment"
              error={env.error ?? new Error('No data')}
            />
          )}
        </Content>
      </Page>
    );
  }

  const e: Environment = env.value;
  return (
    <Page themeId="tool">
      {header}
      <Content>
        <Grid container spacing={3}>
          {env.refreshError && (
            <Grid item xs={12}>
              <StaleDataWarning
                error={env.refreshError}
                loadedAt={env.loadedAt}
              />
            </Grid>
          )}
          <Grid item xs={12} md={5}>
            <InfoCard
              title="Overview"
              action={
                <Box display="flex" alignItems="center">
                  <DriftBadge environment={e} />
                  <Tooltip title="Reload">
                    <IconButton
                      aria-label="Reload environment"
                      onClick={refresh}
                    >
                      <RefreshIcon />
                    </IconButton>
                  </Tooltip>
                </Box>
              }
            >
              <EnvironmentFacts environment={e} />
              <EnvironmentProgress environment={e} />
              <EnvironmentActions environment={e} onChanged={refresh} />
              <Box mt={1}>
                <FactList
                  facts={[
                    ['Created', formatTimestamp(e.createdAt)],
                    ['Updated', formatTimestamp(e.updatedAt)],
                    ['Cluster', <ClusterIdLink id={e.clusterId} />],
                  ]}
                />
              </Box>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <InfoCard title="Components">
              <EnvironmentComponents
                components={e.components}
                environment={e.name}
              />
            </InfoCard>
          </Grid>
          {e.pendingChange && (
            <Grid item xs={12}>
              <InfoCard title="Change being applied">
                <ChangePlanView plan={e.pendingChange} />
              </InfoCard>
            </Grid>
          )}
          <Grid item xs={12}>
            <InfoCard title="Revisions">
              <EnvironmentRevisions environment={e} onChanged={refresh} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Event timeline">
              {events.loading && <Progress />}
              {events.error && (
                <ResponseErrorPanel
                  title="Could not load events"
                  error={events.error}
                />
              )}
              {events.value && <EventTimeline events={events.value} />}
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
