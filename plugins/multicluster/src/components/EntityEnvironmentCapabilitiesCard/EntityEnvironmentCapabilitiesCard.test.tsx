/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ANNOTATION_ENVIRONMENT } from '@archipelago/multicluster-common';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import {
  entityWith,
  makeCost,
  makeEnvironment,
  NOW,
  SECRET_VALUE,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import {
  EntityEnvironmentCapabilitiesCard,
  environmentRefreshInterval,
} from './EntityEnvironmentCapabilitiesCard';

const entity = entityWith({ [ANNOTATION_ENVIRONMENT]: 'pr-42' });

// Rendering the card with its components takes seconds on a loaded machine.
jest.setTimeout(20_000);

/** The text of the definition that follows a term in a FactList. */
function factValue(term: string): string | null | undefined {
  const dt = screen.getByText(term, { selector: 'dt span' }).closest('dt');
  return dt?.nextElementSibling?.textContent;
}

describe('EntityEnvironmentCapabilitiesCard', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('shows a progress bar while loading', async () => {
    const api = new FakeMulticlusterApi();
    api.getEnvironment = () => new Promise(() => {});
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(screen.getByText('Environment capabilities')).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows type, cloud, owner, status, TTL and a link to the environment', async () => {
    const api = new FakeMulticlusterApi({ environments: [makeEnvironment()] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(await screen.findByText('dev-small')).toBeInTheDocument();
    expect(factValue('Type')).toBe('dev-small');
    expect(factValue('Cloud')).toBe('local');
    expect(factValue('TTL')).toBe('3 h 10 min left');
    expect(screen.getByRole('link', { name: 'team-a' })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-a',
    );
    expect(factValue('Status')).toBe('Ready');
    expect(screen.getByRole('link', { name: 'pr-42' })).toHaveAttribute(
      'href',
      '/multicluster/environments/pr-42',
    );
    expect(api.callsOf('getEnvironment')).toEqual([['pr-42']]);
  });

  it('shows the estimated monthly cost and the revision', async () => {
    const api = new FakeMulticlusterApi({
      environments: [
        makeEnvironment({
          revision: 3,
          cost: makeCost({ kubernetes: 0.3, database: 0.2 }, ['network']),
        }),
      ],
    });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(await screen.findByText('dev-small')).toBeInTheDocument();
    expect(factValue('Estimated cost')).toBe(
      '≈ 365.00 USD / month (no price for network)',
    );
    expect(factValue('Revision')).toBe('3');
  });

  it('reveals a secret to its owner on click only', async () => {
    const api = new FakeMulticlusterApi({
      environments: [makeEnvironment()],
      secrets: { 'pr-42/database/master_password': SECRET_VALUE },
    });
    const { container } = await renderWithApi(
      <EntityEnvironmentCapabilitiesCard />,
      { api, entity },
    );
    const database = within(
      await screen.findByRole('region', { name: 'Component database' }),
    );
    expect(container.innerHTML).not.toContain(SECRET_VALUE);
    await userEvent.click(
      database.getByRole('button', {
        name: 'Reveal master_password of database',
      }),
    );
    expect(await database.findByText(SECRET_VALUE)).toBeInTheDocument();
    expect(api.callsOf('revealEnvironmentSecret')).toEqual([
      ['pr-42', 'database', 'master_password'],
    ]);
  });

  it('lists each component with its template, driver and capabilities to copy', async () => {
    const api = new FakeMulticlusterApi({ environments: [makeEnvironment()] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    const cluster = within(
      await screen.findByRole('region', { name: 'Component cluster' }),
    );
    expect(cluster.getByText('emulated-cluster')).toBeInTheDocument();
    expect(cluster.getByText('emulator-cluster')).toBeInTheDocument();
    expect(cluster.getByText('https://127.0.0.1:7443')).toBeInTheDocument();
    expect(
      cluster.getByRole('button', { name: 'Copy endpoint' }),
    ).toBeInTheDocument();

    const network = within(
      screen.getByRole('region', { name: 'Component network' }),
    );
    expect(network.getByText('sub-a, sub-b')).toBeInTheDocument();
  });

  it('shows a secret capability as "stored secret", never its value, with nothing to copy', async () => {
    const env = makeEnvironment();
    // A backend bug that leaks a raw value must still not reach the screen.
    env.components.push({
      key: 'legacy-db',
      kind: 'database',
      template: 't',
      driver: 'd',
      status: 'ready',
      capabilities: { host: 'h', master_password: SECRET_VALUE },
    });
    const api = new FakeMulticlusterApi({ environments: [env] });
    const { container } = await renderWithApi(
      <EntityEnvironmentCapabilitiesCard />,
      { api, entity },
    );
    const database = within(
      await screen.findByRole('region', { name: 'Component database' }),
    );
    expect(database.getByText('master_password')).toBeInTheDocument();
    expect(database.getByText('stored secret')).toBeInTheDocument();
    expect(
      database.queryByRole('button', { name: 'Copy master_password' }),
    ).not.toBeInTheDocument();
    expect(
      database.getByRole('button', { name: 'Copy host' }),
    ).toBeInTheDocument();

    const legacy = within(
      screen.getByRole('region', { name: 'Component legacy-db' }),
    );
    expect(legacy.getByText('stored secret')).toBeInTheDocument();
    expect(container.innerHTML).not.toContain(SECRET_VALUE);
    expect(container.innerHTML).not.toContain(
      'environments/pr-42/database/master_password',
    );
  });

  it('shows progress while provisioning', async () => {
    const env = makeEnvironment({ status: 'provisioning' });
    env.components[1].status = 'creating';
    env.components[2].status = 'pending';
    const api = new FakeMulticlusterApi({ environments: [env] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(
      await screen.findByText('Provisioning: 1 of 3 components ready'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: '1 of 3 components ready' }),
    ).toHaveAttribute('aria-valuenow', '33');
    expect(screen.getByText('Creating')).toBeInTheDocument();
  });

  it('shows a drift badge when a component drifted', async () => {
    const env = makeEnvironment();
    env.components[2].status = 'drifted';
    const api = new FakeMulticlusterApi({ environments: [env] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(await screen.findByText('Drift detected')).toBeInTheDocument();
    expect(screen.getByLabelText('database has drifted')).toBeInTheDocument();
  });

  it('has no drift badge when nothing drifted', async () => {
    const api = new FakeMulticlusterApi({ environments: [makeEnvironment()] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    await screen.findByText('dev-small');
    expect(screen.queryByText('Drift detected')).not.toBeInTheDocument();
  });

  it('shows a failed component with its error', async () => {
    const env = makeEnvironment({
      status: 'failed',
      reason: 'database failed',
    });
    env.components[2] = {
      ...env.components[2],
      status: 'failed',
      error: 'port 5432 already in use',
      capabilities: {},
    };
    const api = new FakeMulticlusterApi({ environments: [env] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(
      await screen.findByText('port 5432 already in use'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Failed').length).toBeGreaterThan(0);
    expect(screen.getByText(/database failed/)).toBeInTheDocument();
  });

  it('says so when the environment does not exist', async () => {
    const api = new FakeMulticlusterApi();
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(
      await screen.findByText('Environment pr-42 not found'),
    ).toBeInTheDocument();
  });

  it('shows other errors', async () => {
    const api = new FakeMulticlusterApi({
      failures: { getEnvironment: new Error('Service Unavailable') },
    });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    expect(
      await screen.findByText(/Could not load environment pr-42/),
    ).toBeInTheDocument();
  });

  it('keeps the data and warns when a refresh fails', async () => {
    const api = new FakeMulticlusterApi({ environments: [makeEnvironment()] });
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, { api, entity });
    await screen.findByText('dev-small');
    api.failures.getEnvironment = new Error('Gateway Timeout');
    await userEvent.click(
      screen.getByRole('button', { name: 'Reload environment' }),
    );
    expect(await screen.findByText(/refreshing failed/)).toBeInTheDocument();
    expect(screen.getByText('dev-small')).toBeInTheDocument();
  });

  it('explains the annotation when the entity has none', async () => {
    const api = new FakeMulticlusterApi();
    await renderWithApi(<EntityEnvironmentCapabilitiesCard />, {
      api,
      entity: entityWith({}),
    });
    expect(screen.getByText('No environment')).toBeInTheDocument();
    expect(api.calls).toEqual([]);
  });
});

describe('environmentRefreshInterval', () => {
  it.each([
    ['provisioning', 5_000],
    ['pending', 5_000],
    ['destroying', 5_000],
    ['ready', 60_000],
    ['failed', 60_000],
  ] as const)('polls a %s environment every %p ms', (status, ms) => {
    expect(environmentRefreshInterval(makeEnvironment({ status }))).toBe(ms);
  });
});
