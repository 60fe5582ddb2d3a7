/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { continentOfRegion, geographyOf, isGeography } from './geography';

describe('continentOfRegion', () => {
  it.each([
    // AWS
    ['us-east-1', 'NA'],
    ['ca-central-1', 'NA'],
    ['us-gov-west-1', 'NA'],
    ['sa-east-1', 'SA'],
    ['eu-west-1', 'EU'],
    ['eu-central-2', 'EU'],
    ['ap-northeast-1', 'AS'],
    ['ap-southeast-2', 'OC'],
    ['ap-southeast-1', 'AS'],
    ['me-south-1', 'AS'],
    ['af-south-1', 'AF'],
    ['il-central-1', 'AS'],
    // GCP
    ['us-central1', 'NA'],
    ['northamerica-northeast1', 'NA'],
    ['southamerica-east1', 'SA'],
    ['europe-west4', 'EU'],
    ['asia-east1', 'AS'],
    ['australia-southeast1', 'OC'],
    ['africa-south1', 'AF'],
    ['me-west1', 'AS'],
    // Azure
    ['eastus', 'NA'],
    ['westus2', 'NA'],
    ['canadacentral', 'NA'],
    ['brazilsouth', 'SA'],
    ['westeurope', 'EU'],
    ['northeurope', 'EU'],
    ['uksouth', 'EU'],
    ['germanywestcentral', 'EU'],
    ['southeastasia', 'AS'],
    ['japaneast', 'AS'],
    ['centralindia', 'AS'],
    ['uaenorth', 'AS'],
    ['australiaeast', 'OC'],
    ['southafricanorth', 'AF'],
    ['WestEurope', 'EU'],
  ])('%s → %s', (region, continent) => {
    expect(continentOfRegion(region)).toBe(continent);
  });

  it.each([undefined, '', 'local', 'mars-1'])('%s → unknown', region => {
    expect(continentOfRegion(region)).toBeUndefined();
  });
});

describe('geographyOf', () => {
  it.each([
    [
      'the geo label wins',
      { 'archipelago.dev/geo': 'eu' },
      'us-east-1',
      undefined,
      'EU',
    ],
    [
      'a country code',
      { 'archipelago.dev/geo': 'DE' },
      undefined,
      undefined,
      'DE',
    ],
    ['else the region', {}, 'asia-east1', undefined, 'AS'],
    [
      'a custom label holding a region',
      { region: 'westeurope' },
      undefined,
      'region',
      'EU',
    ],
    [
      'a custom label holding a code',
      { zone: 'AS' },
      'us-east-1',
      'zone',
      'AS',
    ],
    ['nothing known', {}, undefined, undefined, undefined],
    [
      'an unusable label falls back to the region',
      { 'archipelago.dev/geo': 'europe!' },
      'eu-west-1',
      undefined,
      'EU',
    ],
  ])('%s', (_, labels, region, geoLabel, expected) => {
    expect(geographyOf({ labels, region }, geoLabel)).toBe(expected);
  });
});

describe('isGeography', () => {
  it.each([
    ['EU', true],
    ['AN', true],
    ['DE', true],
    ['eu', false],
    ['EUR', false],
    ['*', false],
  ])('%s → %s', (code, ok) => expect(isGeography(code)).toBe(ok));
});
