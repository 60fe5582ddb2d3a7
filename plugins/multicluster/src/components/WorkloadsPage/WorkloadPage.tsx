/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  Box,
  Button,
  Grid,
  IconButton,
  LinearProgress,
  Tooltip,
  Typography,
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
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  multiclusterWorkloadWritePermission,
  type Workload,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { isNotFound } from '../../lib/errors';
import { formatTimestamp } from '../../lib/format';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import {
  useWorkloadsLink,
  WorkloadPhaseIndicator,
  workloadRefreshInterval,
} from '../../lib/workloads';
import { FactList } from '../shared/FactList';
import { OwnerLink } from '../shared/OwnerLink';
import { StaleDataWarning } from '../shared/StaleDataWarning';
import { WorkloadClustersTable } from '../shared/WorkloadClustersTable';
import { WorkloadDnsView } from '../shared/WorkloadDnsView';
import { WorkloadEvents } from './WorkloadEvents';
import { WorkloadRevisions } from './WorkloadRevisions';

/** Phase, reason, rollout progress, owner, placement and times of a workload. */
function WorkloadOverview(props: { workload: Workload }) {
  const w = props.workload;
  const rollout = w.status.rollout;
  const placement = w.placement.clusterNames?.length
    ? w.placement.clusterNames.join(', ')
    : `selector ${
        typeof w.placement.clusterSelector === 'string'
          ? w.placement.clusterSelector || '(every cluster)'
          : JSON.stringify(w.placement.clusterSelector)
      }`;
  return (
    <>
      <FactList
        facts={[
          [
            'Status',
            <>
              <WorkloadPhaseIndicator phase={w.status.phase} />
              <Typography
                variant="body2"
                color="textSecondary"
                component="span"
              >
                {' '}
                — {w.status.reason}
              </Typography>
            </>,
          ],
          ['Revision', String(w.revision)],
          ['Owner', <OwnerLink owner={w.owner} />],
          ['Namespace', w.namespace],
          ['Placement', placement],
          [
            'Replicas',
            w.replicas
              ? `${w.replicas.totalReplicas} in total${
                  w.replicas.rebalance ? ', rebalanced' : ''
                }`
              : 'as the manifests say, on every cluster',
          ],
          [
            'Rollout',
            `${w.rollout.maxConcurrent} per step, ${w.rollout.maxFailures} failures tolerated, soak ${w.rollout.soakSeconds} s`,
          ],
          ['Failover', `after ${w.failover.graceSeconds} s`],
          ['Updated', formatTimestamp(w.updatedAt)],
        ]}
      />
      {rollout?.state === 'progressing' && (
        <Box mt={1}>
          <Typography variant="body2">
            Revision {rollout.revision}: {rollout.updated} of {rollout.total}{' '}
            clusters updated, step {rollout.step}
          </Typography>
          <LinearProgress
            variant="determinate"
            value={rollout.total ? (100 * rollout.updated) / rollout.total : 0}
            aria-label="Rollout progress"
          />
        </Box>
      )}
    </>
  );
}

/**
 * One workload: status, its clusters, the events of the reconciler and the
 * revision history, with rollback, pause and resume for those allowed to
 * change it (`multicluster.workload.write`).
 */
export function WorkloadPage() {
  const { name = '' } = useParams();
  const api = useApi(multiclusterApiRef);
  const alerts = useApi(alertApiRef);
  const workloadsLink = useWorkloadsLink();
  const { allowed: canWrite } = usePermission({
    permission: multiclusterWorkloadWritePermission,
    resourceRef: name,
  });
  const [pausing, setPausing] = useState(false);
  const workload = useRefreshingAsync(
    signal => api.getWorkload(name, { signal }),
    [api, name],
    { intervalMs: workloadRefreshInterval },
  );
  const events = useRefreshingAsync(
    signal => api.listWorkloadEvents(name, {}, { signal }),
    [api, name],
    { intervalMs: () => workloadRefreshInterval(workload.value) },
  );
  const revisions = useRefreshingAsync(
    signal => api.listWorkloadRevisions(name, { signal }),
    [api, name],
  );
  const refresh = () => {
    workload.refresh();
    events.refresh();
    revisions.refresh();
  };
  const setPaused = async (paused: boolean) => {
    setPausing(true);
    try {
      await (paused ? api.pauseWorkload(name) : api.resumeWorkload(name));
      refresh();
    } catch (error) {
      alerts.post({
        message: `Could not ${paused ? 'pause' : 'resume'}: ${
          (error as Error).message
        }`,
        severity: 'error',
      });
    } finally {
      setPausing(false);
    }
  };

  const header = (
    <Header title={name} type="Workload" typeLink={workloadsLink?.()} />
  );
  if (workload.loading) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          <Progress />
        </Content>
      </Page>
    );
  }
  if (workload.error || !workload.value) {
    return (
      <Page themeId="tool">
        {header}
        <Content>
          {isNotFound(workload.error) ? (
            <EmptyState
              missing="data"
              title="Workload not found"
              description={`There is no workload named "${name}", or you may not see it.`}
              action={
                workloadsLink ? (
                  <Link to={workloadsLink()}>Back to all workloads</Link>
                ) : undefined
              }
            />
          ) : (
            <ResponseErrorPanel
              title="Could not load the workload"
              error={workload.error ?? new Error('No data')}
            />
          )}
        </Content>
      </Page>
    );
  }

  const w = workload.value;
  return (
    <Page themeId="tool">
      {header}
      <Content>
        <Grid container spacing={3}>
          {workload.refreshError && (
            <Grid item xs={12}>
              <StaleDataWarning
                error={workload.refreshError}
                loadedAt={workload.loadedAt}
              />
            </Grid>
          )}
          <Grid item xs={12} md={5}>
            <InfoCard
              title="Overview"
              action={
                <Box display="flex" alignItems="center">
                  {canWrite && (
                    <Button
                      size="small"
                      variant="outlined"
                      disabled={pausing}
                      onClick={() => setPaused(!w.paused)}
                    >
                      {w.paused ? 'Resume' : 'Pause'}
                    </Button>
                  )}
                  <Tooltip title="Reload">
                    <IconButton aria-label="Reload workload" onClick={refresh}>
                      <RefreshIcon />
                    </IconButton>
                  </Tooltip>
                </Box>
              }
            >
              <WorkloadOverview workload={w} />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <InfoCard title="Clusters">
              <WorkloadClustersTable workload={w} />
            </InfoCard>
          </Grid>
          {w.dns && (
            <Grid item xs={12} md={7}>
              <InfoCard title="Global DNS">
                <WorkloadDnsView name={w.name} />
              </InfoCard>
            </Grid>
          )}
          <Grid item xs={12} md={7}>
            <InfoCard title="Events">
              {events.loading && <Progress />}
              {events.error && (
                <ResponseErrorPanel
                  title="Could not load events"
                  error={events.error}
                />
              )}
              {events.value && <WorkloadEvents events={events.value} />}
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={5}>
            <InfoCard title="Revision history">
              {revisions.loading && <Progress />}
              {revisions.error && (
                <ResponseErrorPanel
                  title="Could not load revisions"
                  error={revisions.error}
                />
              )}
              {revisions.value && (
                <WorkloadRevisions
                  name={name}
                  revisions={revisions.value}
                  canRollback={canWrite}
                  onChange={refresh}
                />
              )}
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
