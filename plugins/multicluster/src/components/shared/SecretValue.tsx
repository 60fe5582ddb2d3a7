/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { Chip, Tooltip } from '@material-ui/core';
import LockIcon from '@material-ui/icons/Lock';

/**
 * What a secret capability looks like. It takes no value on purpose: the
 * browser never receives one, and this component could not show it anyway.
 */
export function SecretValue() {
  return (
    <Tooltip title="Stored encrypted by Archipelago. Its value is never sent to the browser; workloads read it from the secret store.">
      <Chip
        size="small"
        icon={<LockIcon />}
        label="stored secret"
        variant="outlined"
      />
    </Tooltip>
  );
}
