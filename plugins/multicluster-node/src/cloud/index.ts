/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Helpers shared by the multicluster modules (local, aws, azure, gcp), so every
// provider turns tags into labels, reads config, reports errors and bounds its
// fan-out the same way, and every driver parses inputs and splits networks alike.
export { isValidLabelKey, isValidLabelValue, tagsToLabels } from './labels';
export { configPath, configError } from './configErrors';
export {
  configLabelsSchema,
  httpUrlSchema,
  readModuleConfig,
  readProviderEntries,
  refineUnique,
} from './config';
export { describeError } from './errors';
export { decodeCaBundle } from './pem';
export { mapWithConcurrency } from './concurrency';
export { pendingUrl } from './pendingUrl';
export {
  addCloudDrivers,
  templateMapping,
  type CloudDriverBundle,
} from './bundle';
export {
  generatePassword,
  intBetween,
  parseDriverInputs,
  quantityInput,
} from './drivers';
export {
  type Cidr,
  cidrsOverlap,
  formatCidr,
  nthBlock,
  parseCidr,
  splitCidr,
} from './cidr';
export { sharedCredentialRoles, warnSharedCredentials } from './sharedIdentity';
