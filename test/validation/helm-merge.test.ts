import { coalesceHelmValues, deepClone, mergeFluxValues, nestAt, parseTargetPath, typedSetValue, valueAtPointer } from '../../lib/validation/helm-merge';

describe('mergeFluxValues (helm-controller MergeMaps)', () => {
  test('maps merge key by key; lists, scalars and null replace', () => {
    // GIVEN valuesFrom and values WHEN merged
    const base = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const out = mergeFluxValues(base, { a: { c: [3] }, d: null, e: 'scalar' });
    // THEN
    expect(out).toEqual({ a: { b: 1, c: [3] }, d: null, e: 'scalar' });
    expect(base).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } });
  });

  test('the result shares no objects with the override', () => {
    // GIVEN
    const override = { list: [{ x: 1 }] };
    const out = mergeFluxValues({}, override) as { list: { x: number }[] };
    out.list[0]!.x = 2;
    // THEN
    expect(override.list[0]!.x).toBe(1);
  });
});

describe('coalesceHelmValues (Helm CoalesceValues)', () => {
  test('user values win, maps merge, chart defaults fill in', () => {
    // GIVEN
    const defaults = { image: { repository: 'r', tag: '1' }, replicas: 1, list: [1, 2] };
    // THEN
    expect(coalesceHelmValues(defaults, { image: { tag: '2' }, list: [9] })).toEqual({ image: { repository: 'r', tag: '2' }, replicas: 1, list: [9] });
  });

  test('a user null deletes the default; a null for a key without default stays', () => {
    // GIVEN `--set replicas=null` semantics
    const out = coalesceHelmValues({ replicas: 1, nested: { a: 1, b: 2 } }, { replicas: null, nested: { b: null }, extra: null });
    // THEN
    expect(out).toEqual({ nested: { a: 1 }, extra: null });
  });

  test('the user value wins when the types differ; inputs are untouched', () => {
    // GIVEN
    const defaults = { a: { b: 1 } };
    const user = { a: 'flat' };
    // THEN
    expect(coalesceHelmValues(defaults, user)).toEqual({ a: 'flat' });
    expect(defaults).toEqual({ a: { b: 1 } });
    expect(user).toEqual({ a: 'flat' });
  });
});

describe('typedSetValue (Helm --set typing)', () => {
  test.each<[string, unknown]>([
    ['true', true],
    ['FALSE', false],
    ['null', null],
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['+3', 3],
    ['007', '007'],
    ['1.5', '1.5'],
    ['9007199254740993', '9007199254740993'],
    ['', ''],
    ['yes', 'yes'],
  ])('%j -> %j', (raw, expected) => {
    // THEN
    expect(typedSetValue(raw)).toEqual(expected);
  });
});

describe('parseTargetPath', () => {
  test('dots separate keys, \\. is a literal dot', () => {
    // THEN
    expect(parseTargetPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(parseTargetPath('annotations.example\\.com/x')).toEqual(['annotations', 'example.com/x']);
  });

  test('list indexes and empty keys are not supported', () => {
    // THEN
    expect(parseTargetPath('a[0].b')).toBeUndefined();
    expect(parseTargetPath('a..b')).toBeUndefined();
    expect(parseTargetPath('')).toBeUndefined();
  });
});

describe('nestAt, valueAtPointer, deepClone', () => {
  test('nestAt builds nested maps', () => {
    // THEN
    expect(nestAt(['a', 'b'], 1)).toEqual({ a: { b: 1 } });
    expect(nestAt([], { x: 1 })).toEqual({ x: 1 });
  });

  test('valueAtPointer follows maps and list indexes, with escapes', () => {
    // GIVEN
    const root = { a: { 'b/c': [10, { '~d': 'x' }] }, n: null };
    // THEN
    expect(valueAtPointer(root, '')).toEqual({ found: true, value: root });
    expect(valueAtPointer(root, '/a/b~1c/0')).toEqual({ found: true, value: 10 });
    expect(valueAtPointer(root, '/a/b~1c/1/~0d')).toEqual({ found: true, value: 'x' });
    expect(valueAtPointer(root, '/n')).toEqual({ found: true, value: null });
    expect(valueAtPointer(root, '/a/b~1c/2')).toEqual({ found: false });
    expect(valueAtPointer(root, '/missing')).toEqual({ found: false });
  });

  test('deepClone copies and keeps undefined', () => {
    // GIVEN
    const v = { a: [1, { b: 2 }] };
    const c = deepClone(v);
    // THEN
    expect(c).toEqual(v);
    expect(c).not.toBe(v);
    expect(deepClone(undefined)).toBeUndefined();
  });
});
