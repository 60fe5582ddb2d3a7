/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  Box,
  IconButton,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import ChevronLeft from '@material-ui/icons/ChevronLeft';
import ChevronRight from '@material-ui/icons/ChevronRight';
import { PAGE_SIZES } from '../../lib/clusterQuery';

/**
 * Previous / next over server cursors. There is no "jump to page 37": a
 * cursor API only walks, which is what keeps each page one index scan.
 */
export function ClusterPagination(props: {
  rangeText: string;
  limit: number;
  hasPrevious: boolean;
  hasNext: boolean;
  disabled: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onLimit: (limit: number) => void;
}) {
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      gridGap={16}
      px={2}
      py={1}
    >
      <TextField
        select
        size="small"
        label="Rows per page"
        id="multicluster-page-size"
        value={props.limit}
        onChange={e => props.onLimit(Number(e.target.value))}
      >
        {PAGE_SIZES.map(n => (
          <MenuItem key={n} value={n}>
            {n}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" aria-live="polite">
        {props.rangeText}
      </Typography>
      <IconButton
        aria-label="Previous page"
        onClick={props.onPrevious}
        disabled={props.disabled || !props.hasPrevious}
      >
        <ChevronLeft />
      </IconButton>
      <IconButton
        aria-label="Next page"
        onClick={props.onNext}
        disabled={props.disabled || !props.hasNext}
      >
        <ChevronRight />
      </IconButton>
    </Box>
  );
}
