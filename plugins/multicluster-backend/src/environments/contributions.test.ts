/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { FakeComponentDriver } from '@archipelago/multicluster-node-test-utils';
import { EnvironmentContributionsCollector } from './contributions';

const net = { kind: 'network' as const, driver: 'fake-network' };

describe('EnvironmentContributionsCollector', () => {
  it('collects drivers, templates and mappings from several modules', () => {
    const c = new EnvironmentContributionsCollector();
    const driver = new FakeComponentDriver('fake-network', 'network');
    c.extensionPoint.addComponentDriver(driver);
    c.extensionPoint.addComponentTemplates({ 'net-a': net });
    c.extensionPoint.addComponentTemplates({ 'net-b': net });
    c.extensionPoint.addEnvironmentTypeMappings('local', {
      'dev-small': { network: { template: 'net-a' } },
    });
    c.extensionPoint.addEnvironmentTypeMappings('aws', {
      'dev-small': { network: { template: 'net-b' } },
    });
    expect(c.close()).toEqual({
      drivers: [driver],
      templates: { 'net-a': net, 'net-b': net },
      mappings: {
        'dev-small': {
          local: { network: { template: 'net-a' } },
          aws: { network: { template: 'net-b' } },
        },
      },
    });
  });

  it.each([
    [
      'a template contributed twice',
      (c: EnvironmentContributionsCollector) => {
        c.extensionPoint.addComponentTemplates({ t: net });
        c.extensionPoint.addComponentTemplates({ t: net });
      },
      'Two modules contribute a component template named t',
    ],
    [
      'a type mapped twice on one cloud',
      (c: EnvironmentContributionsCollector) => {
        const m = { production: { network: { template: 't' } } };
        c.extensionPoint.addEnvironmentTypeMappings('aws', m);
        c.extensionPoint.addEnvironmentTypeMappings('aws', m);
      },
      'Two modules map environment type production on aws',
    ],
    [
      'an unknown cloud',
      (c: EnvironmentContributionsCollector) =>
        c.extensionPoint.addEnvironmentTypeMappings('mars' as any, {}),
      'unknown cloud "mars"; allowed: local, aws, azure, gcp',
    ],
    [
      'a template without a driver',
      (c: EnvironmentContributionsCollector) =>
        c.extensionPoint.addComponentTemplates({
          t: { kind: 'network' } as any,
        }),
      'templates.t.driver: Required',
    ],
    [
      'a bad template name',
      (c: EnvironmentContributionsCollector) =>
        c.extensionPoint.addComponentTemplates({ Bad_Name: net }),
      'template names are lower-case letters',
    ],
    [
      'a mapping with a bad component key',
      (c: EnvironmentContributionsCollector) =>
        c.extensionPoint.addEnvironmentTypeMappings('local', {
          t: { '1st': { template: 'x' } },
        }),
      'types.t.clouds.local.1st',
    ],
  ])('refuses %s', (_what, act, message) => {
    expect(() => act(new EnvironmentContributionsCollector())).toThrow(message);
  });

  it('refuses contributions once the plugin started', () => {
    const c = new EnvironmentContributionsCollector();
    c.close();
    expect(() => c.extensionPoint.addComponentDriver()).toThrow(
      'Component drivers must be added before the multicluster plugin starts',
    );
  });
});
