/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Secret values and their redaction: the shared apply library.
export {
  hasSecretDataRemoved,
  isSecret,
  LAST_APPLIED,
  REDACTED,
  Redactor,
  SECRET_DATA_REMOVED,
  secretValues,
  withoutSecretData,
} from '@archipelago/multicluster-node';
