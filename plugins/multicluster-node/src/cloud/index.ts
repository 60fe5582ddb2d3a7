/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Helpers shared by the cloud provider modules (aws, azure, gcp), so every
// provider turns tags into labels, reports config errors and bounds its
// fan-out the same way.
export { isValidLabelKey, isValidLabelValue, tagsToLabels } from './labels';
export { configPath, configError } from './configErrors';
export { describeError } from './errors';
export { decodeCaBundle } from './pem';
export { mapWithConcurrency } from './concurrency';
export { pendingUrl } from './pendingUrl';
export { splitCidr, parseDriverInputs } from './drivers';
