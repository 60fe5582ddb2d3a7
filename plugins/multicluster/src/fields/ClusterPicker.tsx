/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useEffect, useState } from 'react';
import {
  Box,
  FormControl,
  FormHelperText,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { multiclusterApiRef } from '../api';
import { formatCount } from '../lib/format';
import { checkSelector, SELECTOR_HINT } from '../lib/selector';
import { HealthStatus } from '../lib/status';
import {
  FILTER_DEBOUNCE_MS,
  useDebouncedValue,
} from '../lib/useDebouncedValue';
import { ClusterPickerFieldSchema } from './schemas';

/** Props of the ClusterPicker field. @public */
export type ClusterPickerProps = typeof ClusterPickerFieldSchema.TProps;

/** Clusters listed in the preview; the total says how many more match. */
export const PREVIEW_LIMIT = 10;

/**
 * A label selector with a live preview of the clusters it matches, so a
 * template cannot silently target nothing (or everything).
 * @public
 */
export function ClusterPicker(props: ClusterPickerProps) {
  const {
    formData,
    onChange,
    schema,
    rawErrors,
    required,
    disabled,
    idSchema,
  } = props;
  const api = useApi(multiclusterApiRef);
  const [text, setText] = useState(formData ?? '');
  // Follow outside changes (a default, going back a step) without fighting the user's typing.
  useEffect(() => {
    if ((formData ?? '') !== text.trim()) {
      setText(formData ?? '');
    }
  }, [formData]); // eslint-disable-line react-hooks/exhaustive-deps

  const check = checkSelector(text);
  const debounced = useDebouncedValue(text, FILTER_DEBOUNCE_MS);
  const debouncedCheck = checkSelector(debounced);
  const previewSelector = debouncedCheck.valid
    ? debouncedCheck.text
    : undefined;
  const preview = useAsync(
    async () =>
      previewSelector === undefined
        ? undefined
        : api.listClusters({ selector: previewSelector, limit: PREVIEW_LIMIT }),
    [api, previewSelector],
  );

  const id = idSchema?.$id ?? 'cluster-picker';
  const hasErrors = (rawErrors?.length ?? 0) > 0;

  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={hasErrors || !check.valid}
    >
      <TextField
        id={id}
        variant="outlined"
        label={schema.title ?? 'Cluster selector'}
        placeholder="env=prod, cloud in (aws,gcp)"
        required={required}
        disabled={disabled}
        value={text}
        error={hasErrors || !check.valid}
        helperText={
          check.valid ? schema.description ?? SELECTOR_HINT : check.message
        }
        inputProps={{ spellCheck: false }}
        onChange={e => {
          setText(e.target.value);
          // The form keeps the trimmed text; validation reports a bad one on submit.
          onChange(
            e.target.value.trim() === '' ? undefined : e.target.value.trim(),
          );
        }}
      />
      {hasErrors &&
        rawErrors?.map(message => (
          <FormHelperText key={message} error>
            {message}
          </FormHelperText>
        ))}
      <Box mt={1} aria-live="polite">
        {preview.loading && (
          <LinearProgress aria-label="Loading matching clusters" />
        )}
        {preview.error && (
          <FormHelperText error>
            Could not preview matching clusters: {preview.error.message}
          </FormHelperText>
        )}
        {preview.value && !preview.loading && (
          <>
            <Typography variant="body2">
              {preview.value.totalItems === 0
                ? 'No cluster matches this selector'
                : `${formatCount(preview.value.totalItems)} ${
                    preview.value.totalItems === 1
                      ? 'cluster matches'
                      : 'clusters match'
                  }${
                    previewSelector === ''
                      ? ' (an empty selector matches every cluster)'
                      : ''
                  }`}
            </Typography>
            {preview.value.items.length > 0 && (
              <List dense aria-label="Matching clusters">
                {preview.value.items.map(c => (
                  <ListItem key={c.id} disableGutters>
                    <ListItemText
                      primary={c.title}
                      secondary={[c.cloud, c.region]
                        .filter(Boolean)
                        .join(' · ')}
                    />
                    <HealthStatus health={c.status.health} />
                  </ListItem>
                ))}
                {preview.value.totalItems > preview.value.items.length && (
                  <ListItem disableGutters>
                    <Typography variant="caption" color="textSecondary">
                      and{' '}
                      {formatCount(
                        preview.value.totalItems - preview.value.items.length,
                      )}{' '}
                      more
                    </Typography>
                  </ListItem>
                )}
              </List>
            )}
          </>
        )}
      </Box>
    </FormControl>
  );
}
