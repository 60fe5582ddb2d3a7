/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Button, Chip, Tooltip, Typography } from '@material-ui/core';
import LockIcon from '@material-ui/icons/Lock';
import { CopyTextButton } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { multiclusterApiRef } from '../../api';

/** How long a revealed value stays on screen. */
export const REVEAL_SECONDS = 30;

/**
 * A secret capability. The browser never receives its value with the
 * environment; given where it lives (`secret`), its owner may reveal it on
 * click (an audited request answered `Cache-Control: no-store`). The value is
 * kept in this component's state only, and forgotten when hidden, after
 * {@link REVEAL_SECONDS} seconds, or when the component goes away.
 */
export function SecretValue(props: {
  secret?: { environment: string; component: string; capability: string };
}) {
  const api = useApi(multiclusterApiRef);
  const [value, setValue] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const hide = () => {
    if (timer.current) clearTimeout(timer.current);
    setValue(undefined);
  };

  const chip = (
    <Tooltip title="Stored encrypted by Archipelago and in the environment's cluster (a Secret). Its owner may reveal it.">
      <Chip
        size="small"
        icon={<LockIcon />}
        label="stored secret"
        variant="outlined"
      />
    </Tooltip>
  );
  if (!props.secret) return chip;
  const { environment, component, capability } = props.secret;

  const reveal = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const revealed = await api.revealEnvironmentSecret(
        environment,
        component,
        capability,
      );
      if (!mounted.current) return;
      setValue(revealed.value);
      timer.current = setTimeout(
        () => setValue(undefined),
        REVEAL_SECONDS * 1000,
      );
    } catch (error) {
      if (!mounted.current) return;
      const status = (error as { statusCode?: number }).statusCode;
      setProblem(
        status === 403 || status === 404
          ? 'Only the owner may reveal this secret.'
          : `Could not reveal it: ${(error as Error).message}`,
      );
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  if (value !== undefined) {
    return (
      <Box display="flex" alignItems="center" minWidth={0}>
        <Typography
          variant="body2"
          component="span"
          style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
        >
          {value}
        </Typography>
        <CopyTextButton
          text={value}
          aria-label={`Copy ${capability}`}
          tooltipText={`${capability} copied`}
        />
        <Button size="small" onClick={hide} aria-label={`Hide ${capability}`}>
          Hide
        </Button>
      </Box>
    );
  }
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap">
      {chip}
      <Button
        size="small"
        onClick={reveal}
        disabled={busy}
        aria-label={`Reveal ${capability} of ${component}`}
      >
        Reveal
      </Button>
      {problem && (
        <Typography variant="caption" color="error" role="alert">
          {problem}
        </Typography>
      )}
    </Box>
  );
}
