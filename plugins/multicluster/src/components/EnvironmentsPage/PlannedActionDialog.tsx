/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { ReactNode, useId, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';

/**
 * A change that is planned before it is applied: the form (if any), then
 * "Plan" shows what would happen, then the apply button does it. Errors of
 * either step are shown as the server wrote them (they name the field).
 */
export function PlannedActionDialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  form?: ReactNode;
  applyLabel: string;
  plan: () => Promise<ReactNode>;
  apply: () => Promise<void>;
}) {
  const [planned, setPlanned] = useState<ReactNode>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const close = () => {
    setPlanned(undefined);
    setError(undefined);
    props.onClose();
  };
  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await step();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.open}
      onClose={close}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent>
        {props.form}
        {busy && <Progress />}
        {error && (
          <Typography color="error" role="alert" variant="body2">
            {error}
          </Typography>
        )}
        {planned}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button
          onClick={() =>
            run(async () => {
              setPlanned(await props.plan());
            })
          }
          disabled={busy}
        >
          Plan
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !planned}
          onClick={() =>
            run(async () => {
              await props.apply();
              close();
            })
          }
        >
          {props.applyLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
