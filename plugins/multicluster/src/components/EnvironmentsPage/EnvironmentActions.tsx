/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useState } from 'react';
import {
  Box,
  Button,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import useAsync from 'react-use/esm/useAsync';
import {
  ENVIRONMENT_CLOUDS,
  type Environment,
  multiclusterEnvironmentCreatePermission,
  multiclusterEnvironmentUpdatePermission,
} from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../../api';
import { ChangePlanView, formatCost } from '../shared/ChangePlanView';
import { PlannedActionDialog } from './PlannedActionDialog';

type Dialog = 'update' | 'extend' | 'promote' | 'heal' | undefined;

/**
 * The changes the caller may make to an environment: update (type, inputs,
 * TTL), heal when it drifted, extend its TTL (for `multicluster.environment.update`)
 * and promote it to a new environment (for `multicluster.environment.create`).
 * Each is planned first and applied on confirmation.
 */
export function EnvironmentActions(props: {
  environment: Environment;
  onChanged: () => void;
}) {
  const env = props.environment;
  const api = useApi(multiclusterApiRef);
  const update = usePermission({
    permission: multiclusterEnvironmentUpdatePermission,
    resourceRef: env.name,
  });
  const create = usePermission({
    permission: multiclusterEnvironmentCreatePermission,
  });
  const [open, setOpen] = useState<Dialog>();
  const types = useAsync(() => api.listEnvironmentTypes(), [api]);
  const [type, setType] = useState(env.type);
  const [inputs, setInputs] = useState(
    JSON.stringify(env.inputs ?? {}, null, 2),
  );
  const [ttl, setTtl] = useState('');
  const [extendBy, setExtendBy] = useState('60');
  const [target, setTarget] = useState({
    name: `${env.name}-prod`.slice(0, 40),
    type: 'production',
    cloud: env.cloud,
  });
  const ready = env.status === 'ready';
  if (!update.allowed && !create.allowed) return null;

  const updateRequest = () => {
    let parsed: Record<string, Record<string, unknown>>;
    try {
      parsed = JSON.parse(inputs || '{}');
    } catch {
      throw new Error(
        'inputs: must be a JSON object of component keys to inputs',
      );
    }
    return {
      type,
      inputs: parsed,
      ...(ttl ? { ttlMinutes: Number(ttl) } : {}),
    };
  };
  const typeNames = (cloud: string) =>
    (types.value ?? [])
      .filter(t => t.clouds.some(c => c.cloud === cloud))
      .map(t => t.type);

  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mt={1}>
      {update.allowed && (
        <>
          <Button
            size="small"
            variant="outlined"
            disabled={!ready}
            onClick={() => setOpen('update')}
          >
            Update
          </Button>
          {env.components.some(c => c.status === 'drifted') && (
            <Button
              size="small"
              variant="outlined"
              disabled={!ready}
              onClick={() => setOpen('heal')}
            >
              Heal
            </Button>
          )}
          {env.expiresAt && (
            <Button
              size="small"
              variant="outlined"
              onClick={() => setOpen('extend')}
            >
              Extend TTL
            </Button>
          )}
        </>
      )}
      {create.allowed && (
        <Button
          size="small"
          variant="outlined"
          onClick={() => setOpen('promote')}
        >
          Promote
        </Button>
      )}

      <PlannedActionDialog
        title={`Update ${env.name}`}
        open={open === 'update'}
        onClose={() => setOpen(undefined)}
        applyLabel="Apply"
        form={
          <Box display="flex" flexDirection="column" style={{ gap: 12 }} mb={2}>
            <TextField
              select
              id="update-type"
              label="Type"
              value={type}
              onChange={e => setType(e.target.value)}
            >
              {(typeNames(env.cloud).length
                ? typeNames(env.cloud)
                : [env.type]
              ).map(t => (
                <MenuItem key={t} value={t}>
                  {t}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              id="update-inputs"
              label="Inputs (JSON, per component)"
              multiline
              minRows={3}
              value={inputs}
              onChange={e => setInputs(e.target.value)}
            />
            <TextField
              id="update-ttl"
              label="New TTL in minutes (optional)"
              type="number"
              value={ttl}
              onChange={e => setTtl(e.target.value)}
            />
          </Box>
        }
        plan={async () => (
          <ChangePlanView
            plan={await api.planEnvironmentUpdate(env.name, updateRequest())}
          />
        )}
        apply={async () => {
          await api.updateEnvironment(env.name, updateRequest());
          props.onChanged();
        }}
      />

      <PlannedActionDialog
        title={`Heal ${env.name}`}
        open={open === 'heal'}
        onClose={() => setOpen(undefined)}
        applyLabel="Heal"
        plan={async () => (
          <ChangePlanView plan={await api.planEnvironmentHeal(env.name)} />
        )}
        apply={async () => {
          await api.healEnvironment(env.name);
          props.onChanged();
        }}
      />

      <PlannedActionDialog
        title={`Extend the TTL of ${env.name}`}
        open={open === 'extend'}
        onClose={() => setOpen(undefined)}
        applyLabel="Extend"
        form={
          <TextField
            id="extend-minutes"
            label="Minutes to add"
            type="number"
            value={extendBy}
            onChange={e => setExtendBy(e.target.value)}
          />
        }
        plan={async () => (
          <Typography variant="body2" style={{ marginTop: 12 }}>
            Expires at{' '}
            {new Date(
              Math.max(Date.parse(env.expiresAt!), Date.now()) +
                Number(extendBy) * 60_000,
            ).toISOString()}{' '}
            instead of {env.expiresAt}
          </Typography>
        )}
        apply={async () => {
          await api.extendEnvironment(env.name, Number(extendBy));
          props.onChanged();
        }}
      />

      <PlannedActionDialog
        title={`Promote ${env.name}`}
        open={open === 'promote'}
        onClose={() => setOpen(undefined)}
        applyLabel="Promote"
        form={
          <Box display="flex" flexDirection="column" style={{ gap: 12 }} mb={2}>
            <TextField
              id="promote-name"
              label="New environment name"
              value={target.name}
              onChange={e => setTarget({ ...target, name: e.target.value })}
            />
            <TextField
              select
              id="promote-cloud"
              label="Cloud"
              value={target.cloud}
              onChange={e => setTarget({ ...target, cloud: e.target.value })}
            >
              {ENVIRONMENT_CLOUDS.map(c => (
                <MenuItem key={c} value={c}>
                  {c}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              id="promote-type"
              label="Type"
              value={target.type}
              onChange={e => setTarget({ ...target, type: e.target.value })}
            >
              {(typeNames(target.cloud).length
                ? typeNames(target.cloud)
                : [target.type]
              ).map(t => (
                <MenuItem key={t} value={t}>
                  {t}
                </MenuItem>
              ))}
            </TextField>
          </Box>
        }
        plan={async () => {
          const p = await api.planEnvironmentPromotion(env.name, {
            name: target.name,
            type: target.type,
            cloud: target.cloud as Environment['cloud'] as any,
          });
          return (
            <div aria-label="Promotion plan">
              <Typography variant="body2">
                Creates{' '}
                {p.plan.components
                  .map(c => `${c.key} (${c.driver})`)
                  .join(', ')}
              </Typography>
              <Typography variant="body2">
                Estimated cost: {formatCost(p.plan.cost)}
              </Typography>
              <Typography variant="body2">
                Carried over: {JSON.stringify(p.carried)}
              </Typography>
              {p.dropped.map(d => (
                <Typography key={d.path} variant="body2" color="textSecondary">
                  Left behind: <code>{d.path}</code> — {d.reason}
                </Typography>
              ))}
            </div>
          );
        }}
        apply={async () => {
          await api.promoteEnvironment(env.name, {
            name: target.name,
            type: target.type,
            cloud: target.cloud as any,
          });
          props.onChanged();
        }}
      />
    </Box>
  );
}
