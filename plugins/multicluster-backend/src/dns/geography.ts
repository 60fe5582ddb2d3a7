/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

/** Route53's continent codes; the geographies a workload's clusters map to. */
export const CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;

/** A continent code (see `CONTINENTS`). */
export type Continent = (typeof CONTINENTS)[number];

/** The cluster label that names a cluster's geography explicitly. */
export const GEO_LABEL = 'archipelago.dev/geo';

/**
 * Cloud region → continent, first match wins. AWS and GCP name regions by
 * area prefix; Azure's names are words, so they are listed. The README of the
 * backend documents this table; keep both in step.
 */
const REGION_RULES: Array<[RegExp, Continent]> = [
  // Oceania before Asia: AWS ap-southeast-2/4 (Sydney, Melbourne), GCP australia-*.
  [/^ap-southeast-[24]$/, 'OC'],
  [/^australia/, 'OC'],
  [/^(newzealand|nz)/, 'OC'],
  // AWS
  [/^(us|ca|mx)-/, 'NA'],
  [/^us-gov-/, 'NA'],
  [/^sa-/, 'SA'],
  [/^eu-/, 'EU'],
  [/^il-/, 'AS'],
  [/^(ap|me|cn)-/, 'AS'],
  [/^af-/, 'AF'],
  // GCP
  [/^northamerica-/, 'NA'],
  [/^southamerica-/, 'SA'],
  [/^europe-/, 'EU'],
  [/^asia-/, 'AS'],
  [/^africa-/, 'AF'],
  // Azure (lower-case, no dashes)
  [
    /^(east|west|central|north|south|westcentral|northcentral|southcentral)us\d?$/,
    'NA',
  ],
  [/^(canada|mexico)(central|east)$/, 'NA'],
  [/^usgov/, 'NA'],
  [/^brazil/, 'SA'],
  [/^chile/, 'SA'],
  [/^(north|west)europe$/, 'EU'],
  [
    /^(uk|france|germany|switzerland|norway|sweden|poland|italy|spain|austria|belgium|denmark|finland|greece)/,
    'EU',
  ],
  [/^(southafrica|kenya|egypt|morocco|nigeria)/, 'AF'],
  [/^(eastasia|southeastasia)$/, 'AS'],
  [
    /^(japan|korea|china|india|centralindia|southindia|westindia|jioindia|indonesia|malaysia|taiwan|uae|qatar|israel|saudiarabia|kuwait)/,
    'AS',
  ],
];

/** The continent of a cloud region (AWS, Azure or GCP naming), or undefined when unknown. */
export function continentOfRegion(
  region: string | undefined,
): Continent | undefined {
  if (!region) return undefined;
  const r = region.trim().toLowerCase();
  return REGION_RULES.find(([re]) => re.test(r))?.[1];
}

/** Whether a code is a geography a workload may use: a continent or an ISO 3166-1 alpha-2 country. */
export function isGeography(code: string): boolean {
  return (
    (CONTINENTS as readonly string[]).includes(code) || /^[A-Z]{2}$/.test(code)
  );
}

/**
 * A cluster's geography: its geo label (default `archipelago.dev/geo`, a
 * continent or country code, upper-cased), else its region's continent.
 */
export function geographyOf(
  cluster: { labels: Record<string, string>; region?: string },
  geoLabel: string = GEO_LABEL,
): string | undefined {
  const labelled = cluster.labels[geoLabel]?.trim().toUpperCase();
  if (labelled && isGeography(labelled)) return labelled;
  // A label holding a region name (e.g. `region: westeurope`) maps like a region.
  return (
    continentOfRegion(cluster.labels[geoLabel]) ??
    continentOfRegion(cluster.region)
  );
}
