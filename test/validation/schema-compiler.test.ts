import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K8S_SCHEMA_ID, LIST_MAP_KEYS_KEYWORD } from '../../lib/validation/k8s-schema';
import { CodeStore, COMPILER_FINGERPRINT, listMapKeysValidator, SchemaCompiler } from '../../lib/validation/schema-compiler';

// GIVEN a tiny definitions document and a schema using a $ref into it, a format and the list-map keyword
const definitions = { $id: K8S_SCHEMA_ID, definitions: { Port: { type: 'integer', minimum: 1, maximum: 65535 } } };
const schema = {
  type: 'object',
  properties: {
    ports: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, port: { $ref: `${K8S_SCHEMA_ID}#/definitions/Port` } } }, [LIST_MAP_KEYS_KEYWORD]: ['name'] },
    created: { type: 'string', format: 'date-time' },
  },
  additionalProperties: false,
};
const good = { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }], created: '2026-01-01T00:00:00Z' };
const duplicate = { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 8080 }] };

const compiler = (store?: string) => new SchemaCompiler({ definitions: () => definitions, definitionsSha256: 'defs-1', ...(store ? { store } : {}) });

describe('listMapKeysValidator', () => {
  test('fails list items with the same map keys, naming the item and the first one', () => {
    // GIVEN two items with the same name WHEN checked THEN one error at the second item
    expect(listMapKeysValidator(['name'], [{ name: 'a' }, { name: 'b' }, { name: 'a' }], undefined, { instancePath: '/spec/ports' } as unknown as Parameters<typeof listMapKeysValidator>[3])).toBe(false);
    expect(listMapKeysValidator.errors).toEqual([
      { keyword: LIST_MAP_KEYS_KEYWORD, instancePath: '/spec/ports/2', params: { keys: ['name'] }, message: 'duplicate entry: same name as item 0 (list-type map keys must be unique)' },
    ]);
  });

  test('accepts distinct keys, compares all keys together, and ignores non-lists', () => {
    expect(listMapKeysValidator(['port', 'protocol'], [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }])).toBe(true);
    expect(listMapKeysValidator(['name'], 'not a list')).toBe(true);
  });
});

describe('SchemaCompiler', () => {
  test('compiles a schema with $refs, formats and the list-map keyword', () => {
    const c = compiler();
    const validate = c.compile(schema);
    expect(c.compiled).toBe(1);
    expect(validate(good)).toBe(true);
    expect(validate(duplicate)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(['/ports/1']);
    expect(validate({ ports: [{ name: 'x', port: 0 }] })).toBe(false);
    expect(validate({ created: 'yesterday' })).toBe(false);
  });

  test('fails on a schema Ajv cannot compile', () => {
    expect(() => compiler().compile({ type: 'no-such-type' })).toThrow(/type/);
  });

  test('keys depend on the schema, the core definitions and the compiler fingerprint', () => {
    // GIVEN the same schema under two definitions hashes THEN two keys; the same inputs give the same key
    const a = compiler().key(schema);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(compiler().key(schema)).toBe(a);
    expect(new SchemaCompiler({ definitions: () => definitions, definitionsSha256: 'defs-2' }).key(schema)).not.toBe(a);
    expect(compiler().key({ ...schema, additionalProperties: true })).not.toBe(a);
    expect(COMPILER_FINGERPRINT).toMatch(/^[0-9a-f]{64}$/);
  });

  test('with a store, a second compiler loads the generated code instead of compiling, and it validates the same', () => {
    // GIVEN an empty store folder
    const store = join(mkdtempSync(join(tmpdir(), 'schema-store-')), 'validators');
    // WHEN one compiler compiles, then another one asks for the same schema
    const first = compiler(store);
    first.compile(schema);
    const second = compiler(store);
    const loaded = second.compile(schema);
    // THEN the code was written once, atomically (no temporary file left), and loaded by the second
    expect(readdirSync(store)).toEqual([`${first.key(schema)}.js.gz`]);
    expect([first.compiled, first.loaded, second.compiled, second.loaded]).toEqual([1, 0, 0, 1]);
    // AND the loaded validator keeps the format, the $ref and the list-map keyword
    expect(loaded(good)).toBe(true);
    expect(loaded(duplicate)).toBe(false);
    expect(loaded.errors?.[0]?.message).toBe('duplicate entry: same name as item 0 (list-type map keys must be unique)');
    expect(loaded({ created: 'yesterday' })).toBe(false);
  });
});

describe('CodeStore', () => {
  test('has nothing for an unknown key', () => {
    expect(new CodeStore(mkdtempSync(join(tmpdir(), 'schema-store-'))).get('0'.repeat(64))).toBeUndefined();
  });

  test('a store that cannot be written only costs a compile: put() does not throw', () => {
    // GIVEN a "store" path below a regular file (mkdir fails)
    const file = join(mkdtempSync(join(tmpdir(), 'schema-store-')), 'file');
    writeFileSync(file, 'x');
    const store = join(file, 'validators');
    // WHEN a compiler uses it THEN it still compiles, and nothing is stored
    const c = compiler(store);
    expect(c.compile(schema)(good)).toBe(true);
    expect(existsSync(store)).toBe(false);
  });
});
