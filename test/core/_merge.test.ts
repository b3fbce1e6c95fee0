import { deepMerge } from '../../lib/core/_merge';

describe('deepMerge (Helm-style)', () => {
  test('maps merge key by key, scalars and lists from the override replace', () => {
    // GIVEN chart defaults and user values
    const base = { a: 1, nested: { keep: true, replace: 'old', deeper: { x: 1 } }, list: [1, 2, 3] };
    const override = { nested: { replace: 'new', deeper: { y: 2 } }, list: [9], extra: 'e' };
    // WHEN merged
    const out = deepMerge(base, override);
    // THEN
    expect(out).toEqual({ a: 1, nested: { keep: true, replace: 'new', deeper: { x: 1, y: 2 } }, list: [9], extra: 'e' });
  });

  test('modifies neither input', () => {
    // GIVEN
    const base = { nested: { a: 1 } };
    const override = { nested: { b: 2 } };
    // WHEN
    deepMerge(base, override);
    // THEN
    expect(base).toEqual({ nested: { a: 1 } });
    expect(override).toEqual({ nested: { b: 2 } });
  });

  test('a scalar or null replaces a map, a map replaces a list', () => {
    // THEN
    expect(deepMerge({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
    expect(deepMerge({ a: { b: 1 } }, { a: 'off' })).toEqual({ a: 'off' });
    expect(deepMerge({ a: [1] }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  });

  test('no override returns the base itself', () => {
    // GIVEN
    const base = { a: 1 };
    // THEN
    expect(deepMerge(base, undefined)).toBe(base);
  });
});
