/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import {
  Box,
  FormControl,
  FormHelperText,
  Grid,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type { EnvironmentTypeInfo } from '@archipelago/multicluster-common';
import { multiclusterApiRef } from '../api';
import { EnvironmentTypePickerFieldSchema } from './schemas';

/** Props of the EnvironmentTypePicker field. @public */
export type EnvironmentTypePickerProps =
  typeof EnvironmentTypePickerFieldSchema.TProps;

/** The types, clouds and components offered once ui:options restrictions apply. */
export function offeredTypes(
  types: EnvironmentTypeInfo[],
  options: { types?: string[]; clouds?: string[] } | undefined,
): EnvironmentTypeInfo[] {
  return types
    .filter(t => !options?.types || options.types.includes(t.type))
    .map(t => ({
      ...t,
      clouds: t.clouds.filter(
        c => !options?.clouds || options.clouds.includes(c.cloud),
      ),
    }))
    .filter(t => t.clouds.length > 0);
}

/**
 * Picks an environment type and a cloud from the type mapping in the
 * backend's app-config, showing what the pair will create. Only pairs that
 * exist can be picked. Value: `{ type, cloud }`.
 * @public
 */
export function EnvironmentTypePicker(props: EnvironmentTypePickerProps) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    disabled,
    idSchema,
  } = props;
  const api = useApi(multiclusterApiRef);
  const {
    value: allTypes,
    loading,
    error,
  } = useAsync(() => api.listEnvironmentTypes(), [api]);
  const types = allTypes
    ? offeredTypes(allTypes, uiSchema?.['ui:options'])
    : [];
  const selectedType = types.find(t => t.type === formData?.type);
  const selectedCloud = selectedType?.clouds.find(
    c => c.cloud === formData?.cloud,
  );
  const hasErrors = (rawErrors?.length ?? 0) > 0;
  const id = idSchema?.$id ?? 'environment-type-picker';

  const selectType = (type: string) => {
    const info = types.find(t => t.type === type);
    // Keep the cloud when the new type has it; with one choice, take it.
    const cloud =
      info?.clouds.find(c => c.cloud === formData?.cloud)?.cloud ??
      (info?.clouds.length === 1 ? info.clouds[0].cloud : '');
    onChange({ type, cloud });
  };

  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={hasErrors || Boolean(error)}
    >
      <Typography variant="subtitle1" component="label" htmlFor={`${id}-type`}>
        {schema.title ?? 'Environment'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {schema.description}
        </Typography>
      )}
      {loading && <LinearProgress aria-label="Loading environment types" />}
      {error && (
        <FormHelperText error>
          Could not load environment types: {error.message}
        </FormHelperText>
      )}
      {allTypes && types.length === 0 && (
        <FormHelperText error>
          No environment type is configured
          {uiSchema?.['ui:options']
            ? ' for the types and clouds this template allows'
            : ''}
          . Add one under multicluster.environments.types in app-config.
        </FormHelperText>
      )}
      {types.length > 0 && (
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              select
              fullWidth
              variant="outlined"
              id={`${id}-type`}
              label="Environment type"
              value={selectedType?.type ?? ''}
              disabled={disabled}
              onChange={e => selectType(e.target.value)}
            >
              {types.map(t => (
                <MenuItem key={t.type} value={t.type}>
                  {t.title || t.type}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              select
              fullWidth
              variant="outlined"
              id={`${id}-cloud`}
              label="Cloud"
              value={selectedCloud?.cloud ?? ''}
              disabled={disabled || !selectedType}
              helperText={selectedType ? undefined : 'Pick a type first'}
              onChange={e =>
                onChange({
                  type: selectedType?.type ?? '',
                  cloud: e.target.value,
                })
              }
            >
              {(selectedType?.clouds ?? []).map(c => (
                <MenuItem key={c.cloud} value={c.cloud}>
                  {c.cloud}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
        </Grid>
      )}
      {selectedType && (
        <Box mt={1}>
          <Typography variant="body2">{selectedType.description}</Typography>
          {selectedCloud && (
            <>
              <Typography
                variant="body2"
                color="textSecondary"
                style={{ marginTop: 8 }}
              >
                On {selectedCloud.cloud} this creates:
              </Typography>
              <List dense aria-label="Components this creates">
                {selectedCloud.components.map(c => (
                  <ListItem key={c.key} disableGutters>
                    <ListItemText
                      primary={`${c.key} (${c.kind}) — template ${c.template}, driver ${c.driver}`}
                      secondary={c.description}
                    />
                  </ListItem>
                ))}
              </List>
            </>
          )}
        </Box>
      )}
      {hasErrors &&
        rawErrors?.map(message => (
          <FormHelperText key={message} error>
            {message}
          </FormHelperText>
        ))}
    </FormControl>
  );
}
