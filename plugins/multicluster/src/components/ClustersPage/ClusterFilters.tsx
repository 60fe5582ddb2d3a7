/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useEffect, useState } from 'react';
import {
  Box,
  Grid,
  IconButton,
  MenuItem,
  TextField,
  Tooltip,
} from '@material-ui/core';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import {
  CLUSTER_CLOUDS,
  CLUSTER_HEALTHS,
  ClusterCloud,
  ClusterHealth,
} from '@archipelago/multicluster-common';
import {
  CLUSTER_SORT_DESC_LABELS,
  CLUSTER_SORT_FIELDS,
  CLUSTER_SORT_LABELS,
  ClusterSortField,
  ClusterSortOrder,
} from '../../lib/clusterQuery';
import { checkSelector, SELECTOR_HINT } from '../../lib/selector';
import { healthPresentation } from '../../lib/status';
import {
  FILTER_DEBOUNCE_MS,
  useDebouncedValue,
} from '../../lib/useDebouncedValue';

const ALL = '';

/** Props of the filter row. */
export interface ClusterFiltersProps {
  cloud?: ClusterCloud;
  health?: ClusterHealth;
  sort: ClusterSortField;
  /** Direction of the sort; default asc. */
  order?: ClusterSortOrder;
  /** The committed selector and search text (from the URL). */
  selector: string;
  q: string;
  onCloud: (cloud: ClusterCloud | undefined) => void;
  onHealth: (health: ClusterHealth | undefined) => void;
  onSort: (sort: ClusterSortField) => void;
  /** Called with the other direction when the direction button is pressed. */
  onOrder?: (order: ClusterSortOrder) => void;
  /** Called once typing pauses, only with a selector that parses. */
  onSelector: (selector: string) => void;
  /** Called once typing pauses. */
  onSearch: (q: string) => void;
}

/**
 * Cloud, health, label selector, text and sort. Selects commit at once. The
 * text fields keep what is typed here, so a key press re-renders this row and
 * not the table, and commit after a pause; the selector is checked with the
 * backend's parser on every key and an invalid one is never sent.
 */
export function ClusterFilters(props: ClusterFiltersProps) {
  const [selectorInput, setSelectorInput] = useState(props.selector);
  const [searchInput, setSearchInput] = useState(props.q);
  const check = checkSelector(selectorInput);
  const debouncedSelector = useDebouncedValue(
    selectorInput,
    FILTER_DEBOUNCE_MS,
  );
  const debouncedSearch = useDebouncedValue(searchInput, FILTER_DEBOUNCE_MS);
  const { selector, q, onSelector, onSearch } = props;

  useEffect(() => {
    const debouncedCheck = checkSelector(debouncedSelector);
    if (debouncedCheck.valid && debouncedCheck.text !== selector.trim()) {
      onSelector(debouncedCheck.text);
    }
    // Only a pause in typing commits; a new `selector` prop must not re-send.
  }, [debouncedSelector]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (debouncedSearch.trim() !== q.trim()) {
      onSearch(debouncedSearch.trim());
    }
  }, [debouncedSearch]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Grid container spacing={2} alignItems="flex-start">
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          label="Cloud"
          id="multicluster-filter-cloud"
          value={props.cloud ?? ALL}
          onChange={e =>
            props.onCloud(
              (e.target.value || undefined) as ClusterCloud | undefined,
            )
          }
        >
          <MenuItem value={ALL}>All clouds</MenuItem>
          {CLUSTER_CLOUDS.map(c => (
            <MenuItem key={c} value={c}>
              {c}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          label="Health"
          id="multicluster-filter-health"
          value={props.health ?? ALL}
          onChange={e =>
            props.onHealth(
              (e.target.value || undefined) as ClusterHealth | undefined,
            )
          }
        >
          <MenuItem value={ALL}>Any health</MenuItem>
          {CLUSTER_HEALTHS.map(h => (
            <MenuItem key={h} value={h}>
              {healthPresentation(h).label}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} md={4}>
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          label="Label selector"
          id="multicluster-filter-selector"
          placeholder="env=prod, tier in (web,api), !legacy"
          value={selectorInput}
          onChange={e => setSelectorInput(e.target.value)}
          error={!check.valid}
          helperText={check.valid ? SELECTOR_HINT : check.message}
          inputProps={{ spellCheck: false, 'aria-invalid': !check.valid }}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          label="Search"
          id="multicluster-filter-search"
          placeholder="name, region, label"
          value={searchInput}
          onChange={e => setSearchInput(e.target.value)}
          inputProps={{ maxLength: 200 }}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <Box display="flex" alignItems="center">
          <TextField
            select
            fullWidth
            variant="outlined"
            size="small"
            label="Sort by"
            id="multicluster-sort"
            value={props.sort}
            onChange={e => props.onSort(e.target.value as ClusterSortField)}
          >
            {CLUSTER_SORT_FIELDS.map(f => (
              <MenuItem key={f} value={f}>
                {props.order === 'desc'
                  ? CLUSTER_SORT_DESC_LABELS[f]
                  : CLUSTER_SORT_LABELS[f]}
              </MenuItem>
            ))}
          </TextField>
          {props.onOrder && (
            <Tooltip
              title={
                props.order === 'desc'
                  ? 'Descending: sort ascending instead'
                  : 'Ascending: sort descending instead'
              }
            >
              <IconButton
                size="small"
                aria-label={
                  props.order === 'desc' ? 'Sort ascending' : 'Sort descending'
                }
                onClick={() =>
                  props.onOrder?.(props.order === 'desc' ? 'asc' : 'desc')
                }
              >
                {props.order === 'desc' ? (
                  <ArrowDownwardIcon fontSize="small" />
                ) : (
                  <ArrowUpwardIcon fontSize="small" />
                )}
              </IconButton>
            </Tooltip>
          )}
        </Box>
      </Grid>
    </Grid>
  );
}
