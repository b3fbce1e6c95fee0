import Ajv from 'ajv';
import {
  convertCrdNode,
  convertSwaggerDefinitions,
  convertSwaggerNode,
  coreObjectSchema,
  crdObjectSchema,
  definitionRef,
  emptyNotes,
  goPatternToJs,
  K8S_FORMATS,
  K8S_SCHEMA_ID,
  LIST_MAP_KEYS_KEYWORD,
  metadataSchema,
  OBJECT_META_DEFINITION,
  QUANTITY_PATTERN,
} from '../../lib/validation/k8s-schema';

describe('goPatternToJs (RE2 -> JS unicode regex)', () => {
  test('patterns JS compiles stay as they are', () => {
    // THEN
    expect(goPatternToJs('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
  });

  test('escaped punctuation and one-letter Unicode classes are rewritten', () => {
    // GIVEN RE2 spellings JS rejects in unicode mode WHEN converted
    expect(goPatternToJs('^[a-z\\@]+\\!$')).toBe('^[a-z@]+!$');
    expect(goPatternToJs('^\\pL+$')).toBe('^\\p{L}+$');
  });

  test('(?i) becomes letter classes (more permissive, never stricter)', () => {
    // GIVEN
    const js = goPatternToJs('(?i)^ab[c-d]$')!;
    // THEN
    expect(js).toBe('^[aA][bB][c-dC-D]$');
    expect(new RegExp(js, 'u').test('AbD')).toBe(true);
  });

  test('returns undefined when no JS equivalent compiles', () => {
    // THEN
    expect(goPatternToJs('(?P<name>a)(')).toBeUndefined();
  });
});

describe('K8S_FORMATS.cidr', () => {
  const cidr = K8S_FORMATS.cidr as (v: string) => boolean;
  test.each([
    ['10.0.0.0/8', true],
    ['fd00::/64', true],
    ['10.0.0.0/33', false],
    ['fd00::/129', false],
    ['10.0.0.0', false],
    ['10.0.0.0/08', false],
    ['x/8', false],
  ])('%s -> %s', (value, ok) => {
    // THEN
    expect(cidr(value)).toBe(ok);
  });
});

describe('convertCrdNode', () => {
  test('objects without additionalProperties or preserve-unknown-fields reject unknown fields', () => {
    // GIVEN a structural object node WHEN converted
    const notes = emptyNotes();
    const out = convertCrdNode({ type: 'object', properties: { a: { type: 'string' }, empty: { type: 'object' } } }, notes);
    // THEN
    expect(out).toEqual({ type: 'object', properties: { a: { type: 'string' }, empty: { type: 'object', additionalProperties: false } }, additionalProperties: false });
  });

  test('preserve-unknown-fields applies to its own node only', () => {
    // GIVEN
    const out = convertCrdNode({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { inner: { type: 'object', properties: {} } } }, emptyNotes());
    // THEN
    expect(out.additionalProperties).toBeUndefined();
    expect((out.properties as any).inner.additionalProperties).toBe(false);
  });

  test('int-or-string, nullable enums, sets and map lists', () => {
    // GIVEN
    const notes = emptyNotes();
    // THEN
    expect(convertCrdNode({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] }, notes)).toEqual({ type: ['integer', 'string'] });
    expect(convertCrdNode({ type: 'string', nullable: true, enum: ['a'] }, notes)).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(convertCrdNode({ type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } }, notes)).toEqual({ type: 'array', uniqueItems: true, items: { type: 'string' } });
    expect(convertCrdNode({ type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } }, notes)[LIST_MAP_KEYS_KEYWORD]).toEqual(['name']);
  });

  test('required properties with a default are not required (defaulting runs first)', () => {
    // GIVEN
    const out = convertCrdNode({ type: 'object', required: ['a', 'b'], properties: { a: { type: 'string', default: 'x' }, b: { type: 'string' } } }, emptyNotes());
    // THEN
    expect(out.required).toEqual(['b']);
  });

  test('OpenAPI 3.0 boolean exclusive bounds become draft-07 numbers', () => {
    // THEN
    expect(convertCrdNode({ type: 'integer', maximum: 10, exclusiveMaximum: true, minimum: 0, exclusiveMinimum: true }, emptyNotes())).toEqual({ type: 'integer', exclusiveMaximum: 10, exclusiveMinimum: 0 });
  });

  test('CEL rules are counted, untranslatable patterns noted, unknown formats dropped', () => {
    // GIVEN
    const notes = emptyNotes();
    const out = convertCrdNode({ type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }, { rule: 'size(self) < 5' }], pattern: '(?P<n>a)(', format: 'duration' }, notes);
    // THEN
    expect(notes.celRules).toBe(2);
    expect(notes.skippedPatterns).toEqual(['(?P<n>a)(']);
    expect(out).toEqual({ type: 'string' });
    expect(convertCrdNode({ type: 'string', format: 'ipv4' }, notes).format).toBe('ipv4');
  });

  test('value validations (anyOf branches) add no additionalProperties', () => {
    // GIVEN
    const out = convertCrdNode({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ required: ['a'] }, { type: 'object', properties: {} }] }, emptyNotes());
    // THEN
    expect(out.anyOf).toEqual([{ required: ['a'] }, { type: 'object', properties: {} }]);
  });

  test('embedded resources require apiVersion and kind and validate metadata as ObjectMeta', () => {
    // GIVEN
    const out = convertCrdNode({ type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true }, emptyNotes());
    // THEN
    expect(out.required).toEqual(['apiVersion', 'kind']);
    expect((out.properties as any).metadata).toEqual({ allOf: [{ $ref: definitionRef(OBJECT_META_DEFINITION) }] });
  });
});

describe('whole-object schemas', () => {
  test('crdObjectSchema fixes apiVersion and kind and requires a named metadata', () => {
    // GIVEN
    const schema = crdObjectSchema({ type: 'object', properties: { spec: { type: 'object', properties: { x: { type: 'integer' } } } } }, 'example.com/v1', 'Widget', emptyNotes());
    // THEN
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata']);
    expect((schema.properties as any).apiVersion).toEqual({ const: 'example.com/v1' });
    expect((schema.properties as any).metadata).toEqual({ allOf: [{ $ref: definitionRef(OBJECT_META_DEFINITION) }, { required: ['name'] }] });
  });

  test('metadataSchema keeps a CRD’s extra metadata constraints', () => {
    // THEN
    expect(metadataSchema({ properties: { name: { type: 'string', maxLength: 63 } } }, false)).toEqual({
      allOf: [{ $ref: definitionRef(OBJECT_META_DEFINITION) }, { properties: { name: { type: 'string', maxLength: 63 } } }],
    });
  });

  test('coreObjectSchema references the definition', () => {
    // THEN
    expect(coreObjectSchema('io.k8s.api.core.v1.Namespace', 'v1', 'Namespace').allOf).toEqual([{ $ref: `${K8S_SCHEMA_ID}#/definitions/io.k8s.api.core.v1.Namespace` }]);
  });
});

describe('swagger (core) definitions', () => {
  test('Go structs drop unknown fields; int-or-string; refs kept', () => {
    // GIVEN
    const notes = emptyNotes();
    // THEN
    expect(convertSwaggerNode({ type: 'object', properties: { a: { $ref: '#/definitions/x' }, p: { type: 'string', format: 'int-or-string' } } }, notes)).toEqual({
      type: 'object',
      properties: { a: { $ref: '#/definitions/x' }, p: { type: ['integer', 'string'] } },
      additionalProperties: false,
    });
  });

  test('opaque definitions accept anything; Quantity is a quantity string or a number', () => {
    const doc = convertSwaggerDefinitions(
      { 'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' }, 'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' } },
      emptyNotes(),
    ) as any;
    expect(doc.$id).toBe(K8S_SCHEMA_ID);
    expect(doc.definitions['io.k8s.apimachinery.pkg.runtime.RawExtension']).toEqual({});
    const quantity = new Ajv({ allowUnionTypes: true }).compile(doc.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']);
    // THEN real quantities pass, typos fail
    expect(['512Mi', '2Gi', '500m', '1.5', '1e3', 3].map((q) => quantity(q))).toEqual([true, true, true, true, true, true]);
    expect(['512MB', 'Mi', '1.2.3'].map((q) => quantity(q))).toEqual([false, false, false]);
    expect(new RegExp(QUANTITY_PATTERN).test('100Ki')).toBe(true);
  });
});
