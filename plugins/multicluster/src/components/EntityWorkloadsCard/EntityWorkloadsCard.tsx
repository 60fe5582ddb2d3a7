/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Box, IconButton, Tooltip, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
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
  ANNOTATION_WORKLOAD,
  type Workload,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { entityRelationsRequest } from '../../lib/entity';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import {
  useWorkloadLink,
  WorkloadPhaseIndicator,
  workloadRefreshInterval,
} from '../../lib/workloads';
import { StaleDataWarning } from '../shared/StaleDataWarning';
import { WorkloadClustersTable } from '../shared/WorkloadClustersTable';
import { WorkloadDnsView } from '../shared/WorkloadDnsView';

/** The card's title; stable, so end-to-end tests and users can find it. */
export const WORKLOADS_CARD_TITLE = 'Workloads across clusters';

/** One workload of the entity: name, phase and reason, then its clusters. */
function WorkloadSection(props: { workload: Workload }) {
  const { workload } = props;
  const link = useWorkloadLink();
  return (
    <Box mb={2} component="section" aria-label={`Workload ${workload.name}`}>
      <Box display="flex" alignItems="baseline" flexWrap="wrap">
        <Typography variant="h6" component="h3" style={{ marginRight: 8 }}>
          {link ? (
            <Link to={link(workload.name)}>{workload.name}</Link>
          ) : (
            workload.name
          )}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          revision {workload.revision} ·{' '}
        </Typography>
        <Box ml={0.5}>
          <WorkloadPhaseIndicator phase={workload.status.phase} />
        </Box>
      </Box>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {workload.status.reason}
      </Typography>
      <WorkloadClustersTable workload={workload} />
      {workload.dns && (
        <Box mt={1}>
          <WorkloadDnsView name={workload.name} />
        </Box>
      )}
    </Box>
  );
}

/**
 * The entity's workloads and where they run: per cluster, ready and desired
 * replicas, revision, drift, last sync and failover. Shows the workloads
 * naming the entity as theirs and those its `archipelago.dev/workload`
 * annotation lists, as far as the user may read them.
 * @public
 */
export function EntityWorkloadsCard() {
  const { entity } = useEntity();
  const api = useApi(multiclusterApiRef);
  const request = entityRelationsRequest(entity);
  const state = useRefreshingAsync<Workload[]>(
    async signal =>
      (await api.getEntityRelations(request, { signal })).workloads ?? [],
    [api, request.kind, request.namespace, request.name],
    { intervalMs: workloadRefreshInterval },
  );

  const refreshButton = (
    <Tooltip title="Reload workloads">
      <IconButton
        aria-label="Reload workloads"
        onClick={state.refresh}
        disabled={state.refreshing}
      >
        <RefreshIcon />
      </IconButton>
    </Tooltip>
  );

  if (state.loading) {
    return (
      <InfoCard title={WORKLOADS_CARD_TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (state.error || !state.value) {
    return (
      <InfoCard title={WORKLOADS_CARD_TITLE} action={refreshButton}>
        <ResponseErrorPanel
          title="Could not load the workloads"
          error={state.error ?? new Error('No data')}
        />
      </InfoCard>
    );
  }
  return (
    <InfoCard title={WORKLOADS_CARD_TITLE} action={refreshButton}>
      {state.refreshError && (
        <Box mb={1}>
          <StaleDataWarning
            error={state.refreshError}
            loadedAt={state.loadedAt}
          />
        </Box>
      )}
      {state.value.length === 0 ? (
        <EmptyState
          missing="data"
          title="No workloads"
          description={`No workload runs this entity. A workload names it as its entityRef, or the entity lists workloads in its ${ANNOTATION_WORKLOAD} annotation; the "Deploy to clusters" template creates one.`}
        />
      ) : (
        state.value.map(w => <WorkloadSection key={w.name} workload={w} />)
      )}
    </InfoCard>
  );
}
