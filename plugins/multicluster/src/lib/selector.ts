/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import {
  isEmptyLabelSelector,
  LABEL_SELECTOR_SYNTAX,
  LabelSelectorError,
  parseLabelSelector,
} from '@archipelago/multicluster-common';

/** The outcome of checking what a user typed in a label selector field. */
export type SelectorCheck =
  | { valid: true; empty: boolean; text: string }
  | {
      valid: false;
      /** The problem, without the syntax reminder (shown separately). */
      message: string;
      /** 0-based offset of the offending token, when known. */
      position?: number;
    };

const SYNTAX_SUFFIX = /\.?\s*Allowed syntax:.*$/s;

/**
 * Checks a selector with the same parser the backend uses, so the field can
 * say what is wrong before any request is sent.
 */
export function checkSelector(text: string): SelectorCheck {
  const trimmed = text.trim();
  try {
    parseLabelSelector(trimmed);
    return { valid: true, empty: isEmptyLabelSelector(trimmed), text: trimmed };
  } catch (error) {
    if (error instanceof LabelSelectorError) {
      return {
        valid: false,
        message: error.message
          .replace(SYNTAX_SUFFIX, '')
          .replace(/^Invalid label selector /, ''),
        position: error.position,
      };
    }
    throw error;
  }
}

/** The syntax reminder shown under selector fields. */
export const SELECTOR_HINT = `Kubernetes label selector: ${LABEL_SELECTOR_SYNTAX}`;
