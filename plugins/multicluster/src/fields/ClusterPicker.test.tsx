/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ListClustersRequest } from '@archipelago/multicluster-common';
import { FakeMulticlusterApi } from '../__testUtils__/FakeMulticlusterApi';
import { makeCluster } from '../__testUtils__/fixtures';
import { renderWithApi } from '../__testUtils__/render';
import { ClusterPicker, ClusterPickerProps } from './ClusterPicker';

jest.setTimeout(20_000);

function props(
  overrides: Partial<ClusterPickerProps> = {},
): ClusterPickerProps {
  return {
    onChange: jest.fn(),
    schema: { title: 'Target clusters' },
    uiSchema: {},
    idSchema: { $id: 'root_clusters' },
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    formData: undefined,
    ...overrides,
  } as unknown as ClusterPickerProps;
}

const clusters = [
  ...Array.from({ length: 14 }, (_, i) =>
    makeCluster(`prod-${String(i).padStart(2, '0')}`, {
      labels: { env: 'prod' },
    }),
  ),
  makeCluster('dev-1', { labels: { env: 'dev' }, health: 'unreachable' }),
];

function previewRequests(api: FakeMulticlusterApi): ListClustersRequest[] {
  return api.callsOf('listClusters').map(a => a[0] as ListClustersRequest);
}

describe('ClusterPicker', () => {
  it('previews the first 10 matching clusters and the total', async () => {
    const api = new FakeMulticlusterApi({ clusters });
    await renderWithApi(
      <ClusterPicker {...props({ formData: 'env=prod' })} />,
      { api },
    );
    expect(await screen.findByText('14 clusters match')).toBeInTheDocument();
    const list = within(
      screen.getByRole('list', { name: 'Matching clusters' }),
    );
    expect(list.getAllByText(/^PROD-/)).toHaveLength(10);
    expect(list.getByText('and 4 more')).toBeInTheDocument();
    expect(previewRequests(api)).toEqual([{ selector: 'env=prod', limit: 10 }]);
  });

  it('updates the form value and the preview as the user types, debounced', async () => {
    const api = new FakeMulticlusterApi({ clusters });
    const p = props();
    await renderWithApi(<ClusterPicker {...p} />, { api });
    await screen.findByText(
      '15 clusters match (an empty selector matches every cluster)',
    );
    await userEvent.type(screen.getByLabelText(/Target clusters/), 'env=dev');
    expect(p.onChange).toHaveBeenLastCalledWith('env=dev');
    expect(await screen.findByText('1 cluster matches')).toBeInTheDocument();
    expect(screen.getByText('DEV-1')).toBeInTheDocument();
    expect(screen.getByText('Unreachable')).toBeInTheDocument();
    expect(previewRequests(api).map(r => r.selector)).toEqual(['', 'env=dev']);
  });

  it('shows a parse error inline and does not preview it', async () => {
    const api = new FakeMulticlusterApi({ clusters });
    await renderWithApi(
      <ClusterPicker {...props({ formData: 'env in (prod' })} />,
      { api },
    );
    expect(screen.getByLabelText(/Target clusters/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByText(/expected/)).toBeInTheDocument();
    expect(api.calls).toEqual([]);
  });

  it('says when nothing matches', async () => {
    const api = new FakeMulticlusterApi({ clusters });
    await renderWithApi(
      <ClusterPicker {...props({ formData: 'env=staging' })} />,
      { api },
    );
    expect(
      await screen.findByText('No cluster matches this selector'),
    ).toBeInTheDocument();
  });

  it('shows a preview error', async () => {
    const api = new FakeMulticlusterApi({
      failures: { listClusters: new Error('Forbidden') },
    });
    await renderWithApi(
      <ClusterPicker {...props({ formData: 'env=prod' })} />,
      { api },
    );
    expect(
      await screen.findByText('Could not preview matching clusters: Forbidden'),
    ).toBeInTheDocument();
  });

  it('shows validation errors from the form', async () => {
    const api = new FakeMulticlusterApi({ clusters });
    await renderWithApi(
      <ClusterPicker
        {...props({
          formData: 'env=staging',
          rawErrors: ['No cluster matches "env=staging"'],
        })}
      />,
      { api },
    );
    expect(
      screen.getByText('No cluster matches "env=staging"'),
    ).toBeInTheDocument();
  });
});
