/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { checkSelector } from './selector';

describe('checkSelector', () => {
  it.each([
    ['', true],
    ['   ', true],
    ['env=prod', false],
    ['env=', false],
    ['env in (prod,staging), !legacy', false],
    ['topology.kubernetes.io/region=eu-west-1', false],
  ])('accepts %p (empty: %p)', (text, empty) => {
    expect(checkSelector(text)).toEqual({
      valid: true,
      empty,
      text: text.trim(),
    });
  });

  it.each([
    ['env in ()', ''],
    ['env in (a,b', ''],
    ['=prod', 'expected a label key'],
    ['Bad Key=1', ''],
    ['env=prod,', ''],
  ])('rejects %p with a message and no syntax dump', (text, fragment) => {
    const result = checkSelector(text);
    expect(result).toMatchObject({
      valid: false,
      message: expect.stringContaining(fragment),
    });
    const message = (result as { message: string }).message;
    expect(message).not.toContain('Allowed syntax');
    expect(message.length).toBeGreaterThan(0);
  });

  it('reports the column of the problem', () => {
    expect(checkSelector('env=prod,,x')).toMatchObject({
      valid: false,
      position: 9,
    });
  });
});
