/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentUpdatePermission,
} from '@archipelago/multicluster-common';
import { FakeMulticlusterApi } from '../../__testUtils__/FakeMulticlusterApi';
import {
  ENVIRONMENT_TYPES,
  makeCost,
  makeDevLargePlan,
  makeEnvironment,
  makeRevisions,
  NOW,
  SECRET_VALUE,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { EnvironmentsPage } from './EnvironmentsPage';

// Full pages with Backstage tables render slowly in jsdom on a shared machine.
jest.setTimeout(60_000);

const TYPES = [
  ...ENVIRONMENT_TYPES,
  {
    ...ENVIRONMENT_TYPES[0],
    type: 'dev-large',
    title: 'Large development',
  },
];

function fakeApi(overrides: Partial<FakeMulticlusterApi> = {}) {
  return new FakeMulticlusterApi({
    environments: [
      makeEnvironment({
        revision: 2,
        cost: makeCost({ cluster: 0.1, database: 0.05 }, ['network']),
      }),
    ],
    types: TYPES,
    revisions: { 'pr-42': makeRevisions() },
    plans: { 'pr-42': makeDevLargePlan() },
    secrets: { 'pr-42/database/master_password': SECRET_VALUE },
    ...overrides,
  });
}

async function renderPage(
  api: FakeMulticlusterApi,
  authorize?: Parameters<typeof renderWithApi>[1]['authorize'],
) {
  const rendered = await renderWithApi(<EnvironmentsPage />, {
    api,
    routeEntries: ['/pr-42'],
    authorize: authorize ?? (() => AuthorizeResult.ALLOW),
  });
  await screen.findByRole('heading', { name: 'pr-42' });
  return rendered;
}

function dialog(name: string) {
  return within(screen.getByRole('dialog', { name }));
}

async function chooseOption(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  await userEvent.click(
    within(await screen.findByRole('listbox')).getByRole('option', {
      name: option,
    }),
  );
}

describe('EnvironmentPage changes', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('plans an update to dev-large, shows the plan, then applies it', async () => {
    const api = fakeApi();
    await renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Update' }),
    );
    const update = dialog('Update pr-42');
    // Nothing can be applied before it was planned.
    expect(update.getByRole('button', { name: 'Apply' })).toBeDisabled();
    await chooseOption('Type', 'dev-large');
    await userEvent.click(update.getByRole('button', { name: 'Plan' }));

    const plan = within(await update.findByLabelText('Change plan'));
    expect(
      plan.getByText(/dev-small → dev-large on local, revision 2 → 3/),
    ).toBeInTheDocument();
    const database = within(
      plan.getByRole('row', { name: 'Plan of database' }),
    );
    expect(database.getByText('replaced')).toBeInTheDocument();
    expect(
      database.getByText('server cannot change in place'),
    ).toBeInTheDocument();
    expect(database.getByText('host, master_password')).toBeInTheDocument();
    const cluster = within(plan.getByRole('row', { name: 'Plan of cluster' }));
    expect(cluster.getByText('updated in place')).toBeInTheDocument();
    expect(cluster.getByText('1 → 3')).toBeInTheDocument();
    expect(
      within(plan.getByRole('row', { name: 'Plan of network' })).getByText(
        'unchanged',
      ),
    ).toBeInTheDocument();
    expect(plan.getByText('Order: cluster + database')).toBeInTheDocument();
    expect(
      plan.getByText(
        'Estimated cost: ≈ 109.50 USD / month (no price for network) → ≈ 365.00 USD / month (no price for network)',
      ),
    ).toBeInTheDocument();
    expect(api.callsOf('planEnvironmentUpdate')).toEqual([
      ['pr-42', { type: 'dev-large', inputs: {} }],
    ]);

    await userEvent.click(update.getByRole('button', { name: 'Apply' }));
    await waitFor(() =>
      expect(api.callsOf('updateEnvironment')).toEqual([
        ['pr-42', { type: 'dev-large', inputs: {} }],
      ]),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows the error the server names and applies nothing', async () => {
    const api = fakeApi({
      failures: {
        planEnvironmentUpdate: new Error(
          'inputs.cluster.version: the emulator-cluster driver cannot change it in place',
        ),
      },
    });
    await renderPage(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Update' }),
    );
    const update = dialog('Update pr-42');
    fireEvent.change(update.getByLabelText('Inputs (JSON, per component)'), {
      target: { value: '{"cluster":{"version":"v1.32.0"}}' },
    });
    await userEvent.click(update.getByRole('button', { name: 'Plan' }));
    expect(await update.findByRole('alert')).toHaveTextContent(
      'inputs.cluster.version: the emulator-cluster driver cannot change it in place',
    );
    expect(update.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(api.callsOf('planEnvironmentUpdate')).toEqual([
      [
        'pr-42',
        { type: 'dev-small', inputs: { cluster: { version: 'v1.32.0' } } },
      ],
    ]);

    // Inputs that are not JSON are refused before anything is sent.
    fireEvent.change(update.getByLabelText('Inputs (JSON, per component)'), {
      target: { value: '{not json' },
    });
    await userEvent.click(update.getByRole('button', { name: 'Plan' }));
    expect(await update.findByRole('alert')).toHaveTextContent(
      'inputs: must be a JSON object of component keys to inputs',
    );
    expect(api.callsOf('planEnvironmentUpdate')).toHaveLength(1);
    expect(api.callsOf('updateEnvironment')).toEqual([]);
  });

  it('lists revisions and rolls back to an applied one through a plan', async () => {
    const plan = makeDevLargePlan();
    const api = fakeApi({
      plans: {
        'pr-42': {
          ...plan,
          operation: 'rollback',
          from: plan.to,
          to: plan.from,
        },
      },
    });
    await renderPage(api);

    const table = within(
      await screen.findByRole('table', { name: 'Revisions' }),
    );
    const current = within(table.getByRole('row', { name: 'Revision 2' }));
    expect(current.getByText('current')).toBeInTheDocument();
    expect(current.getByText('user:default/alice')).toBeInTheDocument();
    expect(current.queryByRole('button', { name: 'Roll back' })).toBeNull();
    const first = within(table.getByRole('row', { name: 'Revision 1' }));
    expect(first.getByText('create')).toBeInTheDocument();

    await userEvent.click(first.getByRole('button', { name: 'Roll back' }));
    const rollback = dialog('Roll pr-42 back to revision 1');
    await userEvent.click(rollback.getByRole('button', { name: 'Plan' }));
    expect(await rollback.findByLabelText('Change plan')).toHaveTextContent(
      'dev-large → dev-small on local',
    );
    await userEvent.click(rollback.getByRole('button', { name: 'Roll back' }));
    await waitFor(() =>
      expect(api.callsOf('rollbackEnvironment')).toEqual([['pr-42', 1]]),
    );
    expect(api.callsOf('planEnvironmentRollback')).toEqual([['pr-42', 1]]);
  });

  it('shows the change being applied, drift details and a heal', async () => {
    const env = makeEnvironment({
      status: 'ready',
      revision: 2,
      pendingChange: makeDevLargePlan(),
    });
    env.components[2].status = 'drifted';
    env.components[2].drift = {
      summary: 'database differs',
      differences: [
        { resource: 'database app', expected: 'present', actual: 'missing' },
        { field: 'port', expected: '5432', actual: '5433' },
      ],
    };
    const api = fakeApi({ environments: [env] });
    await renderPage(api);

    expect(screen.getByText('Change being applied')).toBeInTheDocument();
    const drift = within(
      screen.getByRole('list', { name: 'What drifted in database' }),
    );
    expect(drift.getAllByRole('listitem').map(i => i.textContent)).toEqual([
      'database app: expected present, found missing',
      'port: expected 5432, found 5433',
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Heal' }));
    const heal = dialog('Heal pr-42');
    await userEvent.click(heal.getByRole('button', { name: 'Plan' }));
    await heal.findByLabelText('Change plan');
    await userEvent.click(heal.getByRole('button', { name: 'Heal' }));
    await waitFor(() =>
      expect(api.callsOf('healEnvironment')).toEqual([['pr-42']]),
    );
  });

  it('extends the TTL after showing the new expiry', async () => {
    const api = fakeApi();
    await renderPage(api);

    await userEvent.click(screen.getByRole('button', { name: 'Extend TTL' }));
    const extend = dialog('Extend the TTL of pr-42');
    fireEvent.change(extend.getByLabelText('Minutes to add'), {
      target: { value: '120' },
    });
    await userEvent.click(extend.getByRole('button', { name: 'Plan' }));
    expect(await extend.findByText(/Expires at/)).toHaveTextContent(
      new Date(
        Date.parse(makeEnvironment().expiresAt!) + 120 * 60_000,
      ).toISOString(),
    );
    await userEvent.click(extend.getByRole('button', { name: 'Extend' }));
    await waitFor(() =>
      expect(api.callsOf('extendEnvironment')).toEqual([['pr-42', 120]]),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('promotes to another type and cloud after a plan', async () => {
    const api = fakeApi();
    await renderPage(api);

    await userEvent.click(screen.getByRole('button', { name: 'Promote' }));
    const promote = dialog('Promote pr-42');
    await chooseOption('Cloud', 'aws');
    await chooseOption('Type', 'production');
    await userEvent.click(promote.getByRole('button', { name: 'Plan' }));
    expect(await promote.findByLabelText('Promotion plan')).toBeInTheDocument();
    await userEvent.click(promote.getByRole('button', { name: 'Promote' }));
    const request = { name: 'pr-42-prod', type: 'production', cloud: 'aws' };
    await waitFor(() =>
      expect(api.callsOf('promoteEnvironment')).toEqual([['pr-42', request]]),
    );
    expect(api.callsOf('planEnvironmentPromotion')).toEqual([
      ['pr-42', request],
    ]);
  });

  it('offers no change to a caller who may not make one', async () => {
    const api = fakeApi();
    await renderPage(api, () => AuthorizeResult.DENY);
    expect(
      await screen.findByRole('table', { name: 'Revisions' }),
    ).toBeInTheDocument();
    await screen.findByRole('row', { name: 'Revision 1' });
    for (const name of ['Update', 'Extend TTL', 'Promote', 'Roll back']) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
  });

  it('lets a caller who may create but not update promote only', async () => {
    const api = fakeApi();
    await renderPage(api, request =>
      request.permission.name === multiclusterEnvironmentCreatePermission.name
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    );
    expect(
      await screen.findByRole('button', { name: 'Promote' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Update' })).toBeNull();
    expect(multiclusterEnvironmentUpdatePermission.name).toBe(
      'multicluster.environment.update',
    );
  });

  describe('secret values', () => {
    it('reveals one only on click, and forgets it when hidden', async () => {
      const api = fakeApi();
      const { container } = await renderPage(api);
      const database = within(
        screen.getByRole('region', { name: 'Component database' }),
      );
      expect(container.innerHTML).not.toContain(SECRET_VALUE);
      expect(api.callsOf('revealEnvironmentSecret')).toEqual([]);

      await userEvent.click(
        database.getByRole('button', {
          name: 'Reveal master_password of database',
        }),
      );
      expect(await database.findByText(SECRET_VALUE)).toBeInTheDocument();
      expect(api.callsOf('revealEnvironmentSecret')).toEqual([
        ['pr-42', 'database', 'master_password'],
      ]);

      await userEvent.click(
        database.getByRole('button', { name: 'Hide master_password' }),
      );
      expect(container.innerHTML).not.toContain(SECRET_VALUE);

      // Not kept anywhere in the page: revealing again asks the server again.
      await userEvent.click(
        database.getByRole('button', {
          name: 'Reveal master_password of database',
        }),
      );
      expect(await database.findByText(SECRET_VALUE)).toBeInTheDocument();
      expect(api.callsOf('revealEnvironmentSecret')).toHaveLength(2);
    });

    it('hides a revealed value again after a while', async () => {
      const api = fakeApi();
      const { container } = await renderPage(api);
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
      try {
        fireEvent.click(
          screen.getByRole('button', {
            name: 'Reveal master_password of database',
          }),
        );
        expect(await screen.findByText(SECRET_VALUE)).toBeInTheDocument();
        jest.advanceTimersByTime(31_000);
        await waitFor(() =>
          expect(container.innerHTML).not.toContain(SECRET_VALUE),
        );
      } finally {
        jest.useRealTimers();
      }
    });

    it('tells a caller who is not the owner so', async () => {
      const api = fakeApi({ secrets: {} });
      await renderPage(api);
      await userEvent.click(
        screen.getByRole('button', {
          name: 'Reveal master_password of database',
        }),
      );
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'Only the owner may reveal this secret.',
      );
    });
  });
});
