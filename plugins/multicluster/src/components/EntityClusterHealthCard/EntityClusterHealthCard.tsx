/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { Fragment } from 'react';
import {
  Box,
  Chip,
  Divider,
  IconButton,
  List,
  ListItem,
  makeStyles,
  Tooltip,
  Typography,
} from '@material-ui/core';
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
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_CLUSTER,
  Cluster,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import {
  clusterSelectorAnnotation,
  entityRelationsRequest,
  environmentAnnotation,
} from '../../lib/entity';
import {
  formatBytes,
  formatCpu,
  formatRelativeTime,
  formatTimestamp,
} from '../../lib/format';
import { useClusterLink, useClustersLink } from '../../lib/links';
import {
  compareHealthWorstFirst,
  healthPresentation,
  HealthStatus,
} from '../../lib/status';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import { ClusterHistoryStrip } from '../shared/ClusterHistoryStrip';
import { StaleDataWarning } from '../shared/StaleDataWarning';

/** The card's title; stable, so end-to-end tests and users can find it. */
export const CLUSTER_HEALTH_CARD_TITLE = 'Cluster health';

/** Cards re-read the stored state this often; the prober, not the card, talks to clusters. */
const REFRESH_INTERVAL_MS = 60_000;

const DEFAULT_MAX_CLUSTERS = 10;
/** The API's bound on `clusterLimit`. */
const MAX_CLUSTER_LIMIT = 500;

const useStyles = makeStyles(theme => ({
  row: {
    display: 'block',
    padding: theme.spacing(1.5, 0),
  },
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  title: {
    fontWeight: theme.typography.fontWeightBold as number,
  },
  where: {
    color: theme.palette.text.secondary,
  },
  reason: {
    marginTop: theme.spacing(0.5),
  },
  checks: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    marginTop: theme.spacing(0.5),
  },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  strip: {
    marginTop: theme.spacing(1),
  },
}));

/** Props of {@link EntityClusterHealthCard}. @public */
export interface EntityClusterHealthCardProps {
  /** Clusters listed before "view all"; the worst are listed first. Default 10. */
  maxClusters?: number;
}

/**
 * Where an entity runs and whether it is healthy: the clusters matched by
 * its cluster selector, its cluster names or its environment, worst first.
 * @public
 */
export function EntityClusterHealthCard(props: EntityClusterHealthCardProps) {
  const { entity } = useEntity();
  const api = useApi(multiclusterApiRef);
  const request = entityRelationsRequest(entity);
  const clustersLink = useClustersLink();
  // Only the clusters shown (worst first) and counts from the database: an entity
  // selecting thousands of clusters costs one small page, not all of them.
  const max = Math.min(
    Math.max(1, Math.floor(props.maxClusters ?? DEFAULT_MAX_CLUSTERS)),
    MAX_CLUSTER_LIMIT,
  );
  const state = useRefreshingAsync(
    signal =>
      api.getEntityRelations({ ...request, clusterLimit: max }, { signal }),
    [api, request.kind, request.namespace, request.name, max],
    { intervalMs: REFRESH_INTERVAL_MS },
  );

  const refreshButton = (
    <Tooltip title="Reload cluster health">
      <IconButton
        aria-label="Reload cluster health"
        onClick={state.refresh}
        disabled={state.refreshing}
      >
        <RefreshIcon />
      </IconButton>
    </Tooltip>
  );

  if (state.loading) {
    return (
      <InfoCard title={CLUSTER_HEALTH_CARD_TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (state.error || !state.value) {
    return (
      <InfoCard title={CLUSTER_HEALTH_CARD_TITLE} action={refreshButton}>
        <ResponseErrorPanel
          title="Could not load the clusters of this entity"
          error={state.error ?? new Error('No data')}
        />
      </InfoCard>
    );
  }

  const clusters = [...state.value.clusters].sort(
    (a, b) =>
      compareHealthWorstFirst(a.status.health, b.status.health) ||
      a.name.localeCompare(b.name),
  );
  const shown = clusters.slice(0, max);
  const counts = state.value.clusterCounts ?? countsOf(clusters);
  const selector = clusterSelectorAnnotation(entity);
  const deepLink =
    counts.total > shown.length && clustersLink
      ? {
          title: `View all ${counts.total} clusters`,
          link: clustersLink(
            selector ? new URLSearchParams({ selector }) : undefined,
          ),
        }
      : undefined;

  return (
    <InfoCard
      title={CLUSTER_HEALTH_CARD_TITLE}
      subheader={counts.total > 0 ? healthSummary(counts) : undefined}
      action={refreshButton}
      deepLink={deepLink}
    >
      {state.refreshError && (
        <Box mb={1}>
          <StaleDataWarning
            error={state.refreshError}
            loadedAt={state.loadedAt}
          />
        </Box>
      )}
      {clusters.length === 0 ? (
        <EmptyState
          missing="data"
          title="No clusters found"
          description={emptyDescription(entity)}
        />
      ) : (
        <List disablePadding aria-label="Clusters">
          {shown.map((cluster, i) => (
            <Fragment key={cluster.id}>
              {i > 0 && <Divider component="li" />}
              <ClusterRow cluster={cluster} refreshKey={state.version} />
            </Fragment>
          ))}
        </List>
      )}
    </InfoCard>
  );
}

type HealthCounts = {
  total: number;
  byHealth: Partial<Record<Cluster['status']['health'], number>>;
};

/** Counts of the clusters at hand, for a backend that answers no `clusterCounts`. */
function countsOf(clusters: Cluster[]): HealthCounts {
  const byHealth: HealthCounts['byHealth'] = {};
  for (const c of clusters) {
    byHealth[c.status.health] = (byHealth[c.status.health] ?? 0) + 1;
  }
  return { total: clusters.length, byHealth };
}

/** `3 clusters · 2 healthy · 1 unreachable` */
function healthSummary(counts: HealthCounts): string {
  const parts = (
    Object.entries(counts.byHealth) as Array<
      [Cluster['status']['health'], number]
    >
  )
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => compareHealthWorstFirst(a, b))
    .map(
      ([health, n]) =>
        `${n} ${healthPresentation(health).label.toLocaleLowerCase('en-US')}`,
    );
  return [
    `${counts.total} ${counts.total === 1 ? 'cluster' : 'clusters'}`,
    ...parts,
  ].join(' · ');
}

/** Says which annotation found nothing, so the owner knows what to fix. */
function emptyDescription(entity: Entity): string {
  const selector = clusterSelectorAnnotation(entity);
  const names =
    entity.metadata.annotations?.[ANNOTATION_KUBERNETES_CLUSTER]?.trim();
  const environment = environmentAnnotation(entity);
  const reasons: string[] = [];
  if (selector) reasons.push(`no cluster matches the selector "${selector}"`);
  if (names) reasons.push(`no cluster named "${names}" is in the inventory`);
  if (environment)
    reasons.push(`environment "${environment}" has no cluster yet`);
  if (reasons.length === 0) {
    return 'Add the archipelago.dev/cluster-selector or backstage.io/kubernetes-cluster annotation to this entity.';
  }
  const text = reasons.join('; ');
  return `${text.charAt(0).toLocaleUpperCase('en-US')}${text.slice(1)}.`;
}

function ClusterRow(props: { cluster: Cluster; refreshKey?: number }) {
  const classes = useStyles();
  const clusterLink = useClusterLink();
  const { cluster } = props;
  const { status } = cluster;
  const failing = status.checks.filter(c => !c.ok);
  const now = Date.now();
  return (
    <ListItem
      className={classes.row}
      disableGutters
      aria-label={`Cluster ${cluster.name}`}
    >
      <div className={classes.head}>
        <Typography
          variant="subtitle1"
          component="span"
          className={classes.title}
        >
          {clusterLink ? (
            <Link to={clusterLink(cluster.id)}>{cluster.title}</Link>
          ) : (
            cluster.title
          )}
        </Typography>
        <HealthStatus health={status.health} />
        {status.stale && (
          <Tooltip title="Every provider that lists this cluster failed its last discovery round: this may be out of date.">
            <Chip size="small" label="stale" variant="outlined" />
          </Tooltip>
        )}
        <Typography variant="caption" className={classes.where}>
          {[cluster.cloud, cluster.region, cluster.distribution]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      </div>
      {status.reason && (
        <Typography variant="body2" className={classes.reason}>
          {status.reason}
        </Typography>
      )}
      {failing.length > 0 && (
        <div className={classes.checks} aria-label="Failing checks">
          {failing.map(check => (
            <Tooltip key={check.name} title={check.message ?? 'failed'}>
              <Chip size="small" color="secondary" label={check.name} />
            </Tooltip>
          ))}
        </div>
      )}
      <div className={classes.facts}>
        <Typography variant="body2" component="span">
          Version {status.version ?? '—'}
        </Typography>
        <Typography variant="body2" component="span">
          Nodes{' '}
          {status.nodes
            ? `${status.nodes.ready}/${status.nodes.total} ready`
            : '—'}
        </Typography>
        <Typography variant="body2" component="span">
          CPU {formatCpu(status.allocatable?.cpu)}
        </Typography>
        <Typography variant="body2" component="span">
          Memory {formatBytes(status.allocatable?.memoryBytes)}
        </Typography>
        <Tooltip title={formatTimestamp(status.lastProbeAt)}>
          <Typography variant="body2" component="span">
            {status.lastProbeAt
              ? `Probed ${formatRelativeTime(status.lastProbeAt, now)}`
              : 'Never probed'}
          </Typography>
        </Tooltip>
      </div>
      <div className={classes.strip}>
        <ClusterHistoryStrip
          clusterId={cluster.id}
          refreshKey={props.refreshKey}
        />
      </div>
    </ListItem>
  );
}
