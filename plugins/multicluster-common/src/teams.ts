/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

// Which team owns a cluster, as labels: `team` names a catalog Group and
// `archipelago.dev/team-namespace` its namespace when that is not `default`.
// A label value cannot hold an entity ref (no `:` or `/`), and without the
// namespace `group:other/payments` would pass for `group:default/payments`.

/** The label naming a cluster's owning team (a Group's name). @public */
export const LABEL_TEAM = 'team';

/** The namespace of the team's Group, when it is not `default`. @public */
export const LABEL_TEAM_NAMESPACE = 'archipelago.dev/team-namespace';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const GROUP_REF = /^group:(?:([^:/]+)\/)?([^:/]+)$/i;

/**
 * The labels that name a group as a cluster's team: `{ team: 'payments' }`
 * for `group:default/payments`, plus the namespace label for another
 * namespace. Nothing for users, other kinds or names labels cannot hold.
 * @public
 */
export function teamLabelsFor(
  ownerRef: string,
  options: { teamLabel?: string } = {},
): Record<string, string> {
  const match = GROUP_REF.exec(ownerRef.trim());
  if (!match) return {};
  const namespace = (match[1] ?? 'default').toLocaleLowerCase('en-US');
  const name = match[2];
  if (
    name.length > 63 ||
    namespace.length > 63 ||
    !LABEL_VALUE.test(name) ||
    !LABEL_VALUE.test(namespace)
  ) {
    return {};
  }
  return {
    [options.teamLabel ?? LABEL_TEAM]: name,
    ...(namespace !== 'default' ? { [LABEL_TEAM_NAMESPACE]: namespace } : {}),
  };
}

/**
 * The full ref of a cluster's team from its labels
 * (`group:default/payments`), or undefined when it has no team label.
 * @public
 */
export function teamRefOf(
  labels: Record<string, string>,
  options: { teamLabel?: string } = {},
): string | undefined {
  const name = labels[options.teamLabel ?? LABEL_TEAM]?.trim();
  if (!name) return undefined;
  const namespace = labels[LABEL_TEAM_NAMESPACE]?.trim() || 'default';
  return `group:${namespace}/${name}`;
}
