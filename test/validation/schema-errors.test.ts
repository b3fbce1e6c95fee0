import Ajv from 'ajv';
import { describeAjvErrors } from '../../lib/validation/schema-errors';
import { QUANTITY_PATTERN } from '../../lib/validation/k8s-schema';

/** Validates `value` against `schema` with allErrors + verbose, as the validator does, and describes the errors. */
function errorsOf(schema: object, value: unknown) {
  const validate = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  validate(value);
  return describeAjvErrors(validate.errors);
}

describe('describeAjvErrors', () => {
  test('no errors -> empty list', () => {
    // THEN
    expect(describeAjvErrors(null)).toEqual([]);
    expect(describeAjvErrors([])).toEqual([]);
  });

  test('unknown fields and missing required fields point at the key itself', () => {
    // GIVEN a strict object with a typo and a missing field
    const schema = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, spec: { type: 'object', additionalProperties: false, properties: { a: {} } } } };
    // WHEN validated THEN
    expect(errorsOf(schema, { spec: { b: 1 } })).toEqual([
      { path: '/name', message: 'missing required field "name"' },
      { path: '/spec/b', message: 'unknown field "b" (not in the pinned schema)' },
    ]);
  });

  test('type, enum, const, format and false-schema messages name the value', () => {
    // GIVEN
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer' }, e: { enum: ['a', 'b'] }, c: { const: 'x' }, never: false, p: { type: 'string', pattern: '^a' } },
    };
    // THEN
    expect(errorsOf(schema, { n: 'x', e: 'z', c: 'y', never: 1, p: 'b' })).toEqual([
      { path: '/n', message: 'must be integer, got string "x"' },
      { path: '/e', message: 'must be one of "a", "b"; got "z"' },
      { path: '/c', message: 'must be "x"; got "y"' },
      { path: '/never', message: 'field is not allowed here' },
      { path: '/p', message: '"b" does not match pattern ^a' },
    ]);
  });

  test('the quantity pattern gets a readable message', () => {
    // THEN
    expect(errorsOf({ type: 'string', pattern: QUANTITY_PATTERN }, '512MB')).toEqual([{ path: '', message: '"512MB" is not a valid quantity (e.g. 512Mi, 2Gi, 500m, 1.5)' }]);
  });

  test('anyOf branch errors fold into one error for the combinator', () => {
    // GIVEN int-or-string receiving a boolean
    const errors = errorsOf({ type: 'object', properties: { port: { anyOf: [{ type: 'integer' }, { type: 'string' }] } } }, { port: true });
    // THEN one error at /port listing both alternatives
    expect(errors).toEqual([{ path: '/port', message: 'must match at least one of the allowed alternatives: must be integer, got boolean true | must be string, got boolean true' }]);
  });

  test('oneOf matching twice says so', () => {
    // THEN
    expect(errorsOf({ oneOf: [{ type: 'integer' }, { type: 'number' }] }, 1)).toEqual([{ path: '', message: 'matches more than one of the alternatives (oneOf 0, 1)' }]);
  });

  test('if errors are dropped, duplicates removed', () => {
    // GIVEN
    const schema = { if: { properties: { a: { const: 1 } } }, then: { required: ['b'] } };
    // THEN
    expect(errorsOf(schema, { a: 1 })).toEqual([{ path: '/b', message: 'missing required field "b"' }]);
  });
});
