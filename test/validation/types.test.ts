import { ErrorCode } from '../../lib/core/errors';
import { describeObject, escapePointerToken, field, formatIssue, isJsonObject, joinPointer, jsonTypeOf, parseYamlDocument, parseYamlDocuments, preview, stringField } from '../../lib/validation/types';
import { thrownBy } from '../support/errors';

describe('object helpers', () => {
  test('isJsonObject: plain objects only', () => {
    // THEN
    expect([isJsonObject({}), isJsonObject([]), isJsonObject(null), isJsonObject('x')]).toEqual([true, false, false, false]);
  });

  test('stringField and field follow keys, undefined on the way out', () => {
    // GIVEN an object WHEN read THEN
    const obj = { metadata: { name: 'web', labels: { a: 1 } }, kind: 'Service' };
    expect(stringField(obj, 'kind')).toBe('Service');
    expect(stringField(obj, 'metadata')).toBeUndefined();
    expect(stringField('x', 'kind')).toBeUndefined();
    expect(field(obj, 'metadata', 'labels', 'a')).toBe(1);
    expect(field(obj, 'metadata', 'name', 'deeper')).toBeUndefined();
    expect(field(obj)).toBe(obj);
  });

  test('describeObject: Kind namespace/name (source)', () => {
    // THEN
    expect(describeObject({ kind: 'HelmRelease', metadata: { name: 'cilium', namespace: 'kube-system' } }, 'dist/x.yaml')).toBe('HelmRelease kube-system/cilium (dist/x.yaml)');
    expect(describeObject({ kind: 'Namespace', metadata: { name: 'web' } })).toBe('Namespace web');
    expect(describeObject({})).toBe('<no kind> <no name>');
  });
});

describe('JSON pointers (RFC 6901)', () => {
  test('escapes ~ and / in tokens, in that order', () => {
    // THEN
    expect(escapePointerToken('a/b~c')).toBe('a~1b~0c');
    expect(escapePointerToken('~1')).toBe('~01');
    expect(joinPointer('/metadata/annotations', 'external-dns.alpha.kubernetes.io/hostname')).toBe('/metadata/annotations/external-dns.alpha.kubernetes.io~1hostname');
    expect(joinPointer('', 0)).toBe('/0');
  });
});

describe('messages', () => {
  test('formatIssue writes / for the whole object', () => {
    // THEN
    expect(formatIssue({ object: 'Namespace web', path: '', message: 'bad' })).toBe('Namespace web: /: bad');
    expect(formatIssue({ object: 'Namespace web', path: '/spec', message: 'bad' })).toBe('Namespace web: /spec: bad');
  });

  test('preview cuts long values at 80 characters', () => {
    // THEN
    expect(preview(undefined)).toBe('undefined');
    expect(preview({ a: 1 })).toBe('{"a":1}');
    const long = preview('x'.repeat(100));
    expect(long).toHaveLength(80);
    expect(long.endsWith('...')).toBe(true);
  });

  test('jsonTypeOf uses JSON Schema names', () => {
    // THEN
    expect([null, [], 1, 1.5, 'a', true, {}].map(jsonTypeOf)).toEqual(['null', 'array', 'integer', 'number', 'string', 'boolean', 'object']);
  });
});

describe('YAML as Helm, Flux and kubectl read it', () => {
  test('YAML 1.1 scalars: yes/on are booleans, 0777 octal; timestamps stay strings; merge keys work', () => {
    // GIVEN YAML 1.1 text WHEN parsed THEN go-yaml v2 semantics
    const doc = parseYamlDocument('a: yes\nb: on\nc: 0777\nd: 2026-12-01\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  z: 2\n', 'values.yaml') as Record<string, unknown>;
    expect(doc).toEqual({ a: true, b: true, c: 511, d: '2026-12-01', base: { x: 1 }, merged: { x: 1, z: 2 } });
    // even a key `y` is the boolean true in YAML 1.1
    expect(parseYamlDocument('y: 1\n', 'v')).toEqual({ true: 1 });
  });

  test('sexagesimal numbers stay strings', () => {
    // THEN
    expect(parseYamlDocument('ports: 8080:80\n', 'v')).toEqual({ ports: '8080:80' });
  });

  test('multi-document text drops empty documents; an empty values.yaml is {}', () => {
    // THEN
    expect(parseYamlDocuments('---\na: 1\n---\n---\nb: 2\n', 'x')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseYamlDocument('', 'values.yaml')).toEqual({});
  });

  test('fails on duplicate keys like go-yaml, naming the text', () => {
    // THEN
    const error = thrownBy(() => parseYamlDocuments('a: 1\na: 2\n', 'values.yaml'));
    expect(error.message).toMatch(/^\[values\.yaml\] /);
    expect(error.code).toBe(ErrorCode.YAML_PARSE);
  });

  test('fails on a syntax error', () => {
    // THEN
    const error = thrownBy(() => parseYamlDocuments('a: [1, 2\n', 'bad.yaml'));
    expect(error.message).toMatch(/^\[bad\.yaml\] /);
    expect(error.code).toBe(ErrorCode.YAML_PARSE);
  });

  test('fails on more than one document where one is expected', () => {
    // THEN
    const error = thrownBy(() => parseYamlDocument('a: 1\n---\nb: 2\n', 'values.yaml'));
    expect(error.message).toBe('[values.yaml] expected one YAML document, found 2');
    expect(error.code).toBe(ErrorCode.YAML_PARSE);
  });
});
