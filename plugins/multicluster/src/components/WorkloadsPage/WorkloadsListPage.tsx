/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Workload } from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { useRefreshingAsync } from '../../lib/useRefreshingAsync';
import {
  useWorkloadLink,
  WorkloadPhaseIndicator,
  workloadRefreshInterval,
} from '../../lib/workloads';
import { OwnerLink } from '../shared/OwnerLink';

/** Every workload the user may read, with where it stands. */
export function WorkloadsListPage() {
  const api = useApi(multiclusterApiRef);
  const link = useWorkloadLink();
  const state = useRefreshingAsync(
    async signal => (await api.listWorkloads({ limit: 500 }, { signal })).items,
    [api],
    { intervalMs: workloadRefreshInterval },
  );
  const columns: TableColumn<Workload>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: w => (link ? <Link to={link(w.name)}>{w.name}</Link> : w.name),
    },
    {
      title: 'Status',
      field: 'status.phase',
      render: w => <WorkloadPhaseIndicator phase={w.status.phase} />,
    },
    { title: 'Why', field: 'status.reason' },
    { title: 'Revision', field: 'revision', type: 'numeric' },
    {
      title: 'Ready',
      render: w => {
        const ready = w.status.clusters.reduce(
          (n, c) => n + c.readyReplicas,
          0,
        );
        const desired = w.status.clusters.reduce(
          (n, c) => n + c.desiredReplicas,
          0,
        );
        return `${ready}/${desired} on ${w.status.clusters.length} cluster(s)`;
      },
    },
    { title: 'Owner', render: w => <OwnerLink owner={w.owner} /> },
  ];
  return (
    <Page themeId="tool">
      <Header
        title="Workloads"
        subtitle="Kept placed across clusters: failover, drift repair, progressive rollouts"
      />
      <Content>
        <ContentHeader title="" />
        {state.loading && <Progress />}
        {state.error && (
          <ResponseErrorPanel
            title="Could not load the workloads"
            error={state.error}
          />
        )}
        {state.value && (
          <Table<Workload>
            title={`Workloads (${state.value.length})`}
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={columns}
            data={state.value}
          />
        )}
      </Content>
    </Page>
  );
}
