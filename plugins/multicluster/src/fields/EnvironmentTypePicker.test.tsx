/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeMulticlusterApi } from '../__testUtils__/FakeMulticlusterApi';
import { ENVIRONMENT_TYPES } from '../__testUtils__/fixtures';
import { renderWithApi } from '../__testUtils__/render';
import {
  EnvironmentTypePicker,
  EnvironmentTypePickerProps,
  offeredTypes,
} from './EnvironmentTypePicker';

function props(
  overrides: Partial<EnvironmentTypePickerProps> = {},
): EnvironmentTypePickerProps {
  return {
    onChange: jest.fn(),
    schema: { title: 'Environment', description: 'What to create' },
    uiSchema: {},
    idSchema: { $id: 'root_environment' },
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    formData: undefined,
    ...overrides,
  } as unknown as EnvironmentTypePickerProps;
}

async function choose(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  await userEvent.click(
    within(await screen.findByRole('listbox')).getByRole('option', {
      name: option,
    }),
  );
}

describe('EnvironmentTypePicker', () => {
  it('offers the types and, for the chosen type, only its clouds', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    const p = props();
    await renderWithApi(<EnvironmentTypePicker {...p} />, { api });
    await choose('Environment type', 'Production');
    // Production exists only on aws: taken at once.
    expect(p.onChange).toHaveBeenLastCalledWith({
      type: 'production',
      cloud: 'aws',
    });
  });

  it('keeps the cloud choice open when the type has several', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    const p = props();
    await renderWithApi(<EnvironmentTypePicker {...p} />, { api });
    await choose('Environment type', 'Small development');
    expect(p.onChange).toHaveBeenLastCalledWith({
      type: 'dev-small',
      cloud: '',
    });
  });

  it('sets the cloud of the chosen type', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    const p = props({ formData: { type: 'dev-small', cloud: '' } });
    await renderWithApi(<EnvironmentTypePicker {...p} />, { api });
    fireEvent.mouseDown(await screen.findByLabelText('Cloud'));
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual(['local', 'aws']);
    await userEvent.click(options[1]);
    expect(p.onChange).toHaveBeenLastCalledWith({
      type: 'dev-small',
      cloud: 'aws',
    });
  });

  it('describes what the pair creates', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    await renderWithApi(
      <EnvironmentTypePicker
        {...props({ formData: { type: 'dev-small', cloud: 'aws' } })}
      />,
      { api },
    );
    expect(
      await screen.findByText(
        'One small cluster and a database, for a pull request.',
      ),
    ).toBeInTheDocument();
    const list = within(
      screen.getByRole('list', { name: 'Components this creates' }),
    );
    expect(
      list.getByText('network (network) — template aws-vpc, driver aws-vpc'),
    ).toBeInTheDocument();
    expect(list.getByText('EKS with two t3.medium nodes')).toBeInTheDocument();
  });

  it('honours the types and clouds a template allows', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    await renderWithApi(
      <EnvironmentTypePicker
        {...props({ uiSchema: { 'ui:options': { clouds: ['local'] } } })}
      />,
      { api },
    );
    fireEvent.mouseDown(await screen.findByLabelText('Environment type'));
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual(['Small development']);
  });

  it('shows validation errors from the form', async () => {
    const api = new FakeMulticlusterApi({ types: ENVIRONMENT_TYPES });
    await renderWithApi(
      <EnvironmentTypePicker {...props({ rawErrors: ['Select a cloud'] })} />,
      { api },
    );
    expect(await screen.findByText('Select a cloud')).toBeInTheDocument();
  });

  it('says when types cannot be loaded', async () => {
    const api = new FakeMulticlusterApi({
      failures: { listEnvironmentTypes: new Error('Unauthorized') },
    });
    await renderWithApi(<EnvironmentTypePicker {...props()} />, { api });
    expect(
      await screen.findByText('Could not load environment types: Unauthorized'),
    ).toBeInTheDocument();
  });

  it('says when no type is configured', async () => {
    const api = new FakeMulticlusterApi({ types: [] });
    await renderWithApi(<EnvironmentTypePicker {...props()} />, { api });
    expect(
      await screen.findByText(/No environment type is configured/),
    ).toBeInTheDocument();
  });
});

describe('offeredTypes', () => {
  it('filters types and clouds and drops types left without clouds', () => {
    expect(
      offeredTypes(ENVIRONMENT_TYPES, {
        types: ['production'],
        clouds: ['local'],
      }),
    ).toEqual([]);
    expect(
      offeredTypes(ENVIRONMENT_TYPES, { clouds: ['aws'] }).map(t => [
        t.type,
        t.clouds.map(c => c.cloud),
      ]),
    ).toEqual([
      ['dev-small', ['aws']],
      ['production', ['aws']],
    ]);
    expect(offeredTypes(ENVIRONMENT_TYPES, undefined)).toEqual(
      ENVIRONMENT_TYPES,
    );
  });
});
